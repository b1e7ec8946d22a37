using Microsoft.Build.Utilities;
using Microsoft.Build.Framework;
using ModelBuild.Contracts.Options;

namespace ModelBuild.Tasks.Compression;

/// <summary>
/// The <c>dotnet exec modelbuild.dll compress ...</c> arguments for one resolved model item: its paths, its recipe,
/// and every row of <see cref="ItemOptions"/> that the item sets, under the row's switch.
/// </summary>
internal static class CompressCommandLine
{
    /// <param name="model">A resolved model item (ResolveOnnxModels' output).</param>
    /// <param name="cliPath">The framework-dependent <c>modelbuild.dll</c>.</param>
    /// <param name="packageFolders">NuGet package folders, where dotnet finds ONNX Runtime's native libraries.</param>
    /// <param name="resultPath">Where the CLI writes its result file.</param>
    public static string For(ITaskItem model, string cliPath, string[] packageFolders, string resultPath)
    {
        var builder = new CommandLineBuilder();
        // Roll forward: the CLI targets net8.0 but must run where only a newer runtime is installed.
        builder.AppendSwitch("exec");
        builder.AppendSwitchIfNotNull("--roll-forward ", "Major");
        foreach (var folder in packageFolders)
            builder.AppendSwitchIfNotNull("--additionalprobingpath ", folder.TrimEnd('/', '\\'));
        builder.AppendFileNameIfNotNull(cliPath);
        builder.AppendSwitch("compress");
        builder.AppendFileNameIfNotNull(model.ItemSpec);
        builder.AppendSwitchIfNotNull("--recipe ", model.GetMetadata("Compression"));
        builder.AppendSwitchIfNotNull("--output ", model.GetMetadata("CompressedPath"));
        builder.AppendSwitchIfNotNull("--description ", model.GetMetadata("DescriptionPath"));
        foreach (var option in ItemOptions.All)
            AppendIfSet(builder, option.Switch, model.GetMetadata(option.MetadataName));
        AppendIfSet(builder, "--decoded-output", model.GetMetadata("DecodedPath"));
        AppendIfSet(builder, "--container-output", model.GetMetadata("ContainerPath"));
        AppendIfSet(builder, "--report", model.GetMetadata("ReportPath"));
        AppendIfSet(builder, "--result", resultPath);
        return builder.ToString();
    }

    private static void AppendIfSet(CommandLineBuilder builder, string option, string value)
    {
        if (value.Length > 0)
            builder.AppendSwitchIfNotNull(option + " ", value);
    }
}
