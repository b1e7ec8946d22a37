using Microsoft.Build.Utilities;
using ModelBuild.Tasks.Resolution;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Support;

/// <summary>ResolveOnnxModels over one in-code model at <c>Models/&lt;file&gt;</c> in a temporary project, run without MSBuild.</summary>
internal static class ResolveTaskRun
{
    public static (ResolveOnnxModels Task, RecordingBuildEngine Engine) Prepare(TemporaryFolder folder, string fileName, Action<TaskItem> metadata)
    {
        var modelPath = folder.File($"Models/{fileName}");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        File.WriteAllBytes(modelPath, Google.Protobuf.MessageExtensions.ToByteArray(TestModels.MatMulModel()));
        var item = Item($"Models/{fileName}");
        metadata(item);
        var engine = new RecordingBuildEngine();
        var task = new ResolveOnnxModels
        {
            BuildEngine = engine,
            Models = [item],
            ProjectFile = folder.File("App.csproj"),
            ProjectDirectory = folder.Path,
            OutputRoot = "obj/modelbuild/",
            RootNamespace = "App",
            CliPath = folder.File("modelbuild.dll"),
            RequireCli = false,
        };
        return (task, engine);
    }

    /// <summary>An OnnxModel item with what the targets' ItemDefinitionGroup gives every one (the default properties).</summary>
    public static TaskItem Item(string include)
    {
        var item = new TaskItem(include);
        item.SetMetadata("Compression", "fp16");
        item.SetMetadata("TargetCpu", "portable");
        return item;
    }
}
