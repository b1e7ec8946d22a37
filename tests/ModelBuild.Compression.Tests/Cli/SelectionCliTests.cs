using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// <c>compress</c> with data, budgets and <c>auto</c>, <c>evaluate</c> and <c>report</c>, run out of process on a
/// classifier built in code with images the test writes.
/// </summary>
public sealed class SelectionCliTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 60, seed: 5, classCount: 4);

    public void Dispose() => images.Dispose();

    private string Output => images.PathOf("out/Model.onnx");

    private string Description => images.PathOf("out/Model.modeldesc");

    private string Report => images.PathOf("out/Model.report.md");

    [Fact]
    public void Auto_with_data_writes_the_chosen_model_and_the_report_that_report_prints()
    {
        var result = Compress("auto", "--calibration-data", images.Unlabeled, "--calibration-count", "30",
            "--evaluation-data", images.Labeled, "--report", Report, "--max-accuracy-drop", "50%", "--objective-weights", "size=1,latency=0,accuracy=1");
        var printed = CliProcess.Run("report", Report);

        Assert.True(result.ExitCode == 0, result.ToString());
        // The only thing this tiny model may warn about is its speed (MB2005): int8 can be slower than float at this size.
        Assert.All(result.ErrorLines, line => Assert.Contains(": warning MB2005: ", line));
        Assert.Contains("<- chosen", result.StandardOutput);
        Assert.True(File.Exists(Output) && File.Exists(Description));
        Assert.True(File.Exists(ReportFiles.HtmlPathFor(Report)));
        var recipe = File.ReadAllLines(Description)[1].Split('\t')[1];
        Assert.Contains(recipe, new[] { "fp16", "int8-dynamic", "int8", "int8+cluster+huffman", "int4+huffman", "prune+int4+huffman" });
        Assert.Equal(0, printed.ExitCode);
        Assert.StartsWith(ReportFormat.TitlePrefix + "model.onnx", printed.StandardOutput);
        Assert.Contains("| int8 (minmax) |", printed.StandardOutput);
        Assert.Contains("| int8-dynamic |", printed.StandardOutput);
    }

    [Fact]
    public void A_missed_budget_is_exit_1_with_MB1016_and_still_writes_the_model_and_the_report()
    {
        var result = Compress("fp16", "--evaluation-data", images.Labeled, "--max-size", "1KB", "--report", Report);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{images.ModelPath}: error MB1016: the best candidate, fp16, misses the budget (MaxSize 1,024 bytes:", result.StandardError);
        Assert.True(File.Exists(Output) && File.Exists(Description) && File.Exists(Report));
    }

    [Fact]
    public void A_malformed_budget_is_exit_2_with_MB1015_and_no_outputs()
    {
        var result = Compress("fp16", "--evaluation-data", images.Labeled, "--max-size", "2 parsecs");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{images.ModelPath}: error MB1015: MaxSize '2 parsecs' is malformed: expected bytes", result.StandardError);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Data_that_matches_nothing_is_exit_1_with_MB1012_naming_the_path()
    {
        var missing = images.PathOf("nothing/*.png");

        var result = Compress("int8", "--calibration-data", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{missing}: error MB1012:", result.StandardError);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Int8_without_calibration_data_and_auto_without_evaluation_data_are_MB1017()
    {
        var int8 = Compress("int8");
        var auto = Compress("auto", "--calibration-data", images.Unlabeled);

        Assert.Equal(1, int8.ExitCode);
        Assert.Contains("error MB1017: recipe 'int8' calibrates activation ranges on data", int8.StandardError);
        Assert.Equal(1, auto.ExitCode);
        Assert.Contains("error MB1017:", auto.StandardError);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Int8_with_calibration_data_writes_a_qdq_model()
    {
        var result = Compress("int8", "--calibration-data", images.Unlabeled, "--calibration-method", "entropy");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Onnx.OnnxModelFile.Load(Output).Graph.Node, n => n.OpType == "QuantizeLinear");
        Assert.Equal("recipe\tint8", File.ReadAllLines(Description)[1]);
    }

    [Fact]
    public void Evaluate_prints_both_models_side_by_side_and_the_layers()
    {
        Assert.Equal(0, Compress("int8-dynamic").ExitCode);

        var result = CliProcess.Run("evaluate", images.ModelPath, Output, "--evaluation-data", images.Labeled, "--latency-rounds", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("inputs: 60; accuracy: top-1 on the labels", result.StandardOutput);
        Assert.Matches(@"top-1\s+100\.00 %", result.StandardOutput);
        Assert.Matches(@"stored bytes\s+[\d,]+\s+[\d,]+\s+0\.\d+x", result.StandardOutput);
        Assert.Contains("layers by SQNR, worst first:", result.StandardOutput);
        Assert.Matches(@"gemm_\d\s+Gemm", result.StandardOutput);
    }

    [Fact]
    public void Report_refuses_a_file_that_is_not_a_report_with_MB1018()
    {
        var notReport = images.PathOf("notes.md");
        File.WriteAllText(notReport, "# Notes\n");

        var result = CliProcess.Run("report", notReport);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{notReport}: error MB1018: not a ModelBuild report", result.StandardError);
    }

    private CliResult Compress(string recipe, params string[] extra) =>
        CliProcess.Run(["compress", images.ModelPath, "--recipe", recipe, "--output", Output, "--description", Description, "--latency-rounds", "2", .. extra]);
}
