using System.Text;
using Microsoft.Build.Framework;
using ModelBuild.Contracts.Options;

namespace ModelBuild.Tasks.Settings;

/// <summary>
/// The text of a model's settings stamp: one <c>name=value</c> line per setting that shapes its outputs. The stamp is
/// an input of the compress target and part of the cache key, so every row of <see cref="ItemOptions"/> is in it
/// (a setting left out would silently reuse stale outputs and cache entries).
/// </summary>
internal static class SettingsStamp
{
    /// <param name="model">A resolved model item (ResolveOnnxModels' output), its metadata as the CLI gets it.</param>
    /// <param name="toolVersion">The CLI's product version.</param>
    public static string Text(ITaskItem model, string toolVersion)
    {
        var text = new StringBuilder();
        Line("recipe", model.GetMetadata("Compression"));
        Line("class", model.GetMetadata("ClassName"));
        Line("namespace", model.GetMetadata("Namespace"));
        Line("resource", model.GetMetadata("ResourceName"));
        Line("source", model.ItemSpec);
        Line("tool", toolVersion);
        foreach (var option in ItemOptions.All)
            Line(option.StampName, model.GetMetadata(option.MetadataName));
        // 'native' means this machine's kind of CPU: another kind must not reuse its outputs.
        if (model.GetMetadata("TargetMachine") is { Length: > 0 } machine)
            Line("target-machine", machine);
        Line("data-file-list", model.GetMetadata("DataFileList"));
        return text.ToString();

        void Line(string name, string value) => text.Append(name).Append('=').Append(value.Replace('\n', ' ').Replace('\r', ' ')).Append('\n');
    }
}
