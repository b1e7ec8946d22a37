using ModelBuild.Compression.Tests.Accuracy.Data;
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
    public void With_evaluation_data_and_an_accuracy_budget_it_reports_top1_and_meets_the_budget()
    {
        var result = Compress("--calibration-data", images.Unlabeled, "--evaluation-data", images.Labeled, "--max-accuracy-drop", "1pt");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Only int8-full was tried and it meets every budget", result.StandardOutput);
        Assert.Matches(@"top-1 \d+\.\d\d %", result.StandardOutput);
        Assert.Equal("recipe\tint8-full", File.ReadAllLines(Description)[1]);
    }

    [Fact]
    public void Calibrated_on_one_black_image_it_misses_the_accuracy_budget_with_MB1016()
    {
        // Every activation range is calibrated on zeros: the random images saturate the grids and top-1 falls.
        var black = images.PathOf("black/black.png");
        Directory.CreateDirectory(Path.GetDirectoryName(black)!);
        TestPngWriter.WriteRgb(black, 8, 8, new byte[8 * 8 * 3]);

        var result = Compress("--calibration-data", black, "--evaluation-data", images.Labeled, "--max-accuracy-drop", "1pt");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{images.ModelPath}: error MB1016: the best candidate, int8-full, misses the budget (MaxAccuracyDrop", result.StandardError);
        Assert.Contains("Only int8-full was tried and it misses a budget", result.StandardOutput);
        Assert.True(File.Exists(Output) && File.Exists(Description));
    }
}
