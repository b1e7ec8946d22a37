using ModelBuild.Tasks.Tests.Support;
using ModelBuild.Tasks.Resolution;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Resolution;

/// <summary>The task's checks of ClassName, run without MSBuild (the end-to-end tests run it in real builds).</summary>
public sealed class ResolveOnnxModelsTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>
    /// Issue 8: ClassName <c>Info</c> or <c>Run</c> passed the task and failed the build with CS0542 inside the
    /// generated file; the task now reports MB1007 against the project file.
    /// </summary>
    [Theory]
    [InlineData("Info", null)]
    [InlineData("Run", null)]
    [InlineData(null, "run.onnx")]
    public void A_class_named_like_a_member_of_the_generated_class_is_MB1007(string? className, string? fileName)
    {
        var (task, engine) = Resolve(className, fileName ?? "digits.onnx");

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal("MB1007", error.Code);
        Assert.Equal(task.ProjectFile, error.File);
        Assert.Contains($"ClassName '{className ?? "Run"}' is the name of a member of the generated class (Info, Run)", error.Message);
        Assert.Contains($"such as '{className ?? "Run"}Model'", error.Message);
        Assert.Empty(task.ResolvedModels);
    }

    [Theory]
    [InlineData("Information")]
    [InlineData("Runner")]
    [InlineData("info")]
    public void Names_that_only_resemble_a_member_pass(string className)
    {
        var (task, engine) = Resolve(className, "digits.onnx");

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.Equal(className, Assert.Single(task.ResolvedModels).GetMetadata("ClassName"));
    }

    private (ResolveOnnxModels Task, RecordingBuildEngine Engine) Resolve(string? className, string fileName) =>
        ResolveTaskRun.Prepare(folder, fileName, item =>
        {
            if (className is not null) item.SetMetadata("ClassName", className);
        });
}
