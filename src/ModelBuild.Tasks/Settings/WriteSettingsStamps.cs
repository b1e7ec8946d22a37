using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ModelBuild.Tasks.Settings;

/// <summary>
/// Writes each model's settings stamp (<see cref="SettingsStamp"/>) to its <c>StampPath</c>, only when the text
/// changed, so an unchanged stamp keeps its time and the compress target stays up to date.
/// </summary>
public sealed class WriteSettingsStamps : Task
{
    /// <summary>The resolved models (ResolveOnnxModels' output).</summary>
    [Required]
    public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

    public string ToolVersion { get; set; } = "";

    public override bool Execute()
    {
        foreach (var model in Models)
        {
            var path = model.GetMetadata("StampPath");
            var text = SettingsStamp.Text(model, ToolVersion);
            try
            {
                if (File.Exists(path) && File.ReadAllText(path, Encoding.UTF8) == text)
                    continue;
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.LogError(null, Contracts.Diagnostics.DiagnosticCodes.CannotWrite, null, path, 0, 0, 0, 0,
                    $"The settings stamp of '{model.ItemSpec}' could not be written: {e.Message} Check that the folder is writable.");
            }
        }
        return !Log.HasLoggedErrors;
    }
}
