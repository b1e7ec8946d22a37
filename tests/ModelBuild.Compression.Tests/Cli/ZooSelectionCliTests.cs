using System.Text.RegularExpressions;
using ModelBuild.Compression.Reporting;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// The CLI's data, budget and auto options on the zoo's MNIST and Fashion-MNIST CNNs with subsets of their IDX test
/// sets, exactly as the build will pass them.
/// </summary>
public sealed class ZooSelectionCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("modelbuild-zoo-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [ZooFact]
    public void Int8_on_mnist_meets_a_one_point_accuracy_budget_on_1000_labeled_digits()
    {
        var images = Zoo.PathOf("mnist", "t10k-images-idx3-ubyte.gz");
        var labels = Zoo.PathOf("mnist", "t10k-labels-idx1-ubyte.gz");
        var report = Path.Combine(folder, "mnist.report.md");

        var result = CliProcess.Run("compress", Zoo.PathOf("mnist", "mnist-8.onnx"), "--recipe", "int8",
            "--output", Path.Combine(folder, "Mnist.onnx"), "--description", Path.Combine(folder, "Mnist.modeldesc"),
            "--calibration-data", images, "--calibration-count", "200", "--calibration-method", "percentile",
            "--evaluation-data", $"{images};{labels}", "--evaluation-count", "1000", "--max-accuracy-drop", "1pt", "--report", report);
        output.WriteLine(result.StandardOutput);

        Assert.True(result.ExitCode == 0, result.ToString());
        var markdown = File.ReadAllText(report);
        var rows = Regex.Matches(markdown, @"^\| (original|int8 \(percentile\)) \| (\d+\.\d+) %", RegexOptions.Multiline);
        Assert.Equal(2, rows.Count);
        var drop = double.Parse(rows[0].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
            - double.Parse(rows[1].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(drop, -100, 1.0);
        Assert.Contains("| MaxAccuracyDrop | 1pt", markdown);
        Assert.True(File.Exists(ReportFiles.HtmlPathFor(report)));
    }

    [ZooFact]
    public void Auto_on_fashion_mnist_fills_the_papers_table_and_explains_its_choice()
    {
        var images = Zoo.PathOf("fashion-mnist", "t10k-images-idx3-ubyte.gz");
        var labels = Zoo.PathOf("fashion-mnist", "t10k-labels-idx1-ubyte.gz");
        var report = Path.Combine(folder, "fashion.report.md");

        var result = CliProcess.Run("compress", Zoo.PathOf("fashion-mnist", "fashion-mnist-cnn.onnx"), "--recipe", "auto",
            "--output", Path.Combine(folder, "Fashion.onnx"), "--description", Path.Combine(folder, "Fashion.modeldesc"),
            "--preprocessing", "mean=0.5;std=0.5", "--calibration-data", images, "--calibration-count", "100",
            "--evaluation-data", $"{images};{labels}", "--evaluation-count", "300", "--max-accuracy-drop", "2pt", "--report", report);
        output.WriteLine(result.StandardOutput);

        Assert.True(result.ExitCode == 0, result.ToString());
        var markdown = File.ReadAllText(report);
        foreach (var candidate in new[] { "fp16", "int8-dynamic", "int8 (minmax)", "int8 (percentile)", "int8 (entropy)" })
            Assert.Contains($"| {candidate} |", markdown);
        Assert.Contains("without", markdown);
        Assert.Contains("**yes**", markdown);
        Assert.Contains("Chosen: ", markdown);
        // The original's top-1 on these 300 images is near the zoo's published 89.70%.
        Assert.Matches(@"\| original \| (8[5-9]|9\d)\.\d\d %", markdown);
    }
}
