using Microsoft.Build.Utilities;
using ModelBuild.Cli;
using ModelBuild.Contracts.Recipes;
using ModelBuild.Tasks.Tests.Support;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Recipes;

/// <summary>
/// The task and the CLI read recipes with the one parser (ModelBuild.Contracts' Recipe.Parse): run both, the task
/// without MSBuild and the CLI in process, on the same texts, and they accept and reject alike, for the same reason,
/// and what the task hands the CLI parses back to the same recipe.
/// </summary>
public sealed class RecipeAgreementTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("fp16", null)]
    [InlineData(" INT8-dynamic + Huffman ", null)]
    [InlineData("None + HUFFMAN", null)]
    [InlineData("hoist-constants+fp16", null)]
    [InlineData("int8:Entropy", null)]
    [InlineData("int8-full:percentile:99.9+huffman", null)]
    [InlineData("int5", "'int5' is not a recipe step")]
    [InlineData("huffman+int8", "'int8' (weight representation) comes after 'huffman' (packing)")]
    [InlineData("auto+huffman", "'auto' searches over recipes and stands alone")]
    [InlineData("int8+fp16", "'int8' and 'fp16' both choose how the weights are stored")]
    [InlineData("int8:kl", "'int8' parameter 'kl' is not a calibration")]
    [InlineData("int8:percentile:101", "percentile 101 is outside 50 to 100")]
    [InlineData("prune:0.7+shrink:5+huffman", "'shrink' is not a recipe step")]
    [InlineData("int8+", "a step is empty")]
    public void The_task_and_the_cli_accept_and_reject_the_same_texts_for_the_same_reason(string text, string? reason)
    {
        var (task, engine) = ResolveTaskRun.Prepare(folder, "model.onnx", item =>
        {
            item.SetMetadata("Compression", text);
            item.SetMetadata("CalibrationData", "calibration");
        });
        task.Execute();
        var taskError = engine.Errors.SingleOrDefault(e => e.Code == "MB1005");

        var error = new StringWriter();
        var exitCode = ModelBuildCommandLine.Run(["compress", folder.File("Models/model.onnx"), "--recipe", text,
            "--output", folder.File("out/model.onnx"), "--description", folder.File("out/model.modeldesc")], new StringWriter(), error);
        var cliRejected = error.ToString().Contains("error MB1005:", StringComparison.Ordinal);

        if (reason is null)
        {
            Assert.Null(taskError);
            Assert.False(cliRejected, error.ToString());
            var passedOn = Assert.Single(task.ResolvedModels).GetMetadata("Compression");
            Assert.Equal(Recipe.Parse(text), Recipe.Parse(passedOn));
        }
        else
        {
            Assert.NotNull(taskError);
            Assert.True(cliRejected, error.ToString());
            Assert.Equal(ExitCodes.BadCommandLine, exitCode);
            Assert.Contains(reason, taskError.Message);
            Assert.Contains(reason, error.ToString());
            // Both say what is expected: the named recipes and the steps with their parameters.
            Assert.Contains("none, fp16, int8-dynamic", taskError.Message);
            Assert.Contains("int8[:calibration[:percentile]]", error.ToString());
        }
    }
}
