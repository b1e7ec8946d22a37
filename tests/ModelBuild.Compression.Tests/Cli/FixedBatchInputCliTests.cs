using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// A model whose input has a fixed batch of 16: data is fed one input at a time, so calibration or evaluation data
/// is MB1013 saying so (it used to be MB9001 from ONNX Runtime, "invalid dimensions ... Got: 1 Expected: 16"), and
/// the model still compresses without data.
/// </summary>
public sealed class FixedBatchInputCliTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 6, seed: 14, classCount: 4);
    private readonly string modelPath;

    public FixedBatchInputCliTests()
    {
        var model = TestModels.ConvClassifier();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue = 16;
        model.Graph.Output[0].Type.TensorType.Shape.Dim[0].DimValue = 16;
        modelPath = images.PathOf("batch16.onnx");
        File.WriteAllBytes(modelPath, OnnxModelFile.ToBytes(model));
    }

    public void Dispose() => images.Dispose();

    private string Output => images.PathOf("out/Model.onnx");

    private CliResult Compress(string recipe, params string[] extra) =>
        CliProcess.Run(["compress", modelPath, "--recipe", recipe, "--output", Output, "--description", images.PathOf("out/Model.modeldesc"), .. extra]);

    [Theory]
    [InlineData("fp16", "--evaluation-data", "evaluation data")]
    [InlineData("int8", "--calibration-data", "calibration data")]
    public void Data_for_a_fixed_batch_of_16_is_MB1013_saying_what_was_expected(string recipe, string option, string dataName)
    {
        var result = Compress(recipe, option, images.Unlabeled);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"{modelPath}: error MB1013: the model's input 'image' has a fixed batch of 16, and {dataName} is fed one input at a time: expected a first dimension of 1 or a symbolic one, found 16.", line);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Without_data_it_compresses()
    {
        var result = Compress("int8-dynamic");

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
