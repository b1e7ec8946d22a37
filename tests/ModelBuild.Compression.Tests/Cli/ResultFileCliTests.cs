using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Compression.Tests.TextRecognition;
using ModelBuild.Contracts.Results;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// <c>compress --result</c>, out of process: what the run did, in the file the MSBuild task reads instead of the
/// CLI's output. Above all the data files its loaders actually opened, which become the build's inputs.
/// </summary>
public sealed class ResultFileCliTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string ResultPath => folder.File("out/result.json");

    [Fact]
    public void A_measured_run_lists_its_outputs_the_images_it_read_its_budgets_the_report_summary_and_the_reports()
    {
        using var images = new LabeledTestImages(TestModels.ConvClassifier(), count: 12, seed: 5, classCount: 4);
        var report = folder.File("out/Model.report.md");

        var run = Compress(images.ModelPath, "fp16", "--evaluation-data", images.Labeled, "--evaluation-count", "5", "--max-size", "1MB", "--report", report);

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = CompressionResultFile.Read(ResultPath);
        Assert.True(result.Succeeded);
        Assert.Equal([Output, Description, report, ReportFiles.HtmlPathFor(report)], result.Outputs);
        Assert.Equal([report, ReportFiles.HtmlPathFor(report)], result.Reports);
        // Only the five images the count let it read, not the folder's twelve.
        Assert.Equal(5, result.DataFiles.Count);
        Assert.All(result.DataFiles, file => Assert.StartsWith(images.Labeled + Path.DirectorySeparatorChar, file));
        var budget = Assert.Single(result.Budgets);
        Assert.Equal(("MaxSize", "1,048,576 bytes", true), (budget.Budget, budget.Limit, budget.Met));
        Assert.Equal(File.ReadLines(report).Skip(1).First(line => line.Trim().Length > 0).Trim(), result.Summary);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void The_images_a_csv_and_a_labels_json_list_are_data_files_beside_the_list_and_the_charset()
    {
        using var data = new TextRecognitionData();
        var images = Enumerable.Range(0, TextRecognitionData.Drawn.Length).Select(i => Path.Combine(data.Images, TextRecognitionData.ImageName(i)));

        foreach (var labels in new[] { data.CsvPath, data.JsonPath })
        {
            var run = Compress(data.ModelPath, "fp16", "--evaluation-data", labels, "--charset", data.CharsetPath);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(new[] { labels, data.CharsetPath }.Concat(images).Order(StringComparer.Ordinal), CompressionResultFile.Read(ResultPath).DataFiles);
        }
    }

    [Fact]
    public void Calibration_data_read_lazily_is_listed_too()
    {
        using var images = new LabeledTestImages(TestModels.ConvClassifier(), count: 6, seed: 3, classCount: 4);

        var run = Compress(images.ModelPath, "int8", "--calibration-data", images.Unlabeled, "--calibration-count", "4");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Directory.GetFiles(images.Unlabeled).Order(StringComparer.Ordinal).Take(4), CompressionResultFile.Read(ResultPath).DataFiles);
    }

    [Fact]
    public void Warnings_carry_their_code_message_and_file()
    {
        var model = folder.File("multi.onnx");
        File.WriteAllBytes(model, ModelFacts.Bytes(TestModels.MultiInputModel()));

        var run = Compress(model, "fp16");

        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(CompressionResultFile.Read(ResultPath).Warnings);
        Assert.Equal("MB2002", warning.Code);
        Assert.Equal(model, warning.Origin);
        Assert.Contains($"{model}: warning MB2002: {warning.Message}", run.StandardError);
    }

    [Fact]
    public void A_failed_run_writes_its_errors_and_no_outputs()
    {
        using var images = new LabeledTestImages(TestModels.ConvClassifier(), count: 8, seed: 5, classCount: 4);

        var run = Compress(images.ModelPath, "fp16", "--evaluation-data", images.Labeled, "--max-size", "1KB");

        Assert.Equal(1, run.ExitCode);
        var result = CompressionResultFile.Read(ResultPath);
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("MB1016", images.ModelPath), (error.Code, error.Origin));
        Assert.Contains($"error MB1016: {error.Message}", run.StandardError);
        Assert.False(Assert.Single(result.Budgets).Met);
    }

    private string Output => folder.File("out/Model.onnx");

    private string Description => folder.File("out/Model.modeldesc");

    private CliResult Compress(string model, string recipe, params string[] extra) =>
        CliProcess.Run(["compress", model, "--recipe", recipe, "--output", Output, "--description", Description, "--result", ResultPath, "--latency-rounds", "2", .. extra]);
}
