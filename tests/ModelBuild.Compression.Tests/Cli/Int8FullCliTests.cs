using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary><c>compress --recipe int8-full</c> run out of process on the in-code classifier with images the test writes.</summary>
public sealed class Int8FullCliTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 20, seed: 8, classCount: 4);

    public void Dispose() => images.Dispose();

    private string Output => images.PathOf("out/Model.onnx");

    private string Description => images.PathOf("out/Model.modeldesc");

    private CliResult Compress(params string[] extra) =>
        CliProcess.Run(["compress", images.ModelPath, "--recipe", "int8-full", "--output", Output, "--description", Description, .. extra]);

    [Fact]
    public void Writes_a_uint8_model_and_its_quantization_records()
    {
        var result = Compress("--calibration-data", images.Unlabeled);

        Assert.True(result.ExitCode == 0, result.ToString());
        var model = OnnxModelFile.Load(Output);
        Assert.Equal((int)DataType.Uint8, model.Graph.Input.Single(i => i.Name == "image").Type.TensorType.ElemType);
        Assert.Equal((int)DataType.Uint8, model.Graph.Output.Single().Type.TensorType.ElemType);
        var lines = File.ReadAllLines(Description);
        Assert.Equal("recipe\tint8-full", lines[1]);
        Assert.Contains("input\timage\tuint8\tN,1,8,8", lines);
        Assert.Equal(["quantization\tinput\timage", "quantization\toutput\tscores"],
            lines.Where(l => l.StartsWith("quantization\t", StringComparison.Ordinal)).Select(l => string.Join('\t', l.Split('\t')[..3])));
        Assert.Contains("graph inputs and outputs in uint8", result.StandardOutput);
    }

    [Fact]
    public void Without_calibration_data_it_is_MB1017_and_writes_nothing()
    {
        var result = Compress();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{images.ModelPath}: error MB1017: recipe 'int8-full' calibrates", result.StandardError);
        Assert.False(File.Exists(Output) || File.Exists(Description));
    }

    [Fact]
    public void With_evaluation_data_it_is_MB1011_exit_2_because_the_evaluation_feeds_floats()
    {
        var result = Compress("--calibration-data", images.Unlabeled, "--evaluation-data", images.Labeled);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{images.ModelPath}: error MB1011: recipe 'int8-full' takes uint8 inputs", result.StandardError);
        Assert.False(File.Exists(Output) || File.Exists(Description));
    }
}
