using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// A PyTorch-style export at opset 10 whose outputs declare the traced batch (128) while the input batch is dynamic,
/// with a second output: static int8 (which raises the opset to 13) and <c>auto</c> compress it and the result runs
/// on a batch of 1.
/// </summary>
public sealed class FixedBatchOutputsCliTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 12, seed: 10, classCount: 4);
    private readonly string modelPath;

    public FixedBatchOutputsCliTests()
    {
        modelPath = images.PathOf("fashion.onnx");
        File.WriteAllBytes(modelPath, OnnxModelFile.ToBytes(TestModels.FixedBatchOutputsClassifier()));
    }

    public void Dispose() => images.Dispose();

    private string Output => images.PathOf("out/Model.onnx");

    private CliResult Compress(string recipe, params string[] extra) =>
        CliProcess.Run(["compress", modelPath, "--recipe", recipe, "--output", Output, "--description", images.PathOf("out/Model.modeldesc"),
            "--calibration-data", images.Unlabeled, .. extra]);

    [Fact]
    public void Int8_compresses_it_and_the_result_runs_on_a_batch_of_one()
    {
        var result = Compress("int8");

        Assert.True(result.ExitCode == 0, result.ToString());
        var inputs = new Dictionary<string, InputTensor> { ["image"] = new InputTensor(new float[64], [1, 1, 8, 8]) };
        Assert.Equal(2, OrtRunner.Run(File.ReadAllBytes(Output), inputs).Count);
    }

    [Fact]
    public void Auto_compresses_it_with_every_candidate()
    {
        var result = Compress("auto", "--evaluation-data", images.Unlabeled, "--latency-rounds", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("MB2003", result.StandardError);
        Assert.DoesNotContain("MB9001", result.StandardError);
    }
}
