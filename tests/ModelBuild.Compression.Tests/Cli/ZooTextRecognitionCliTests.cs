using System.Globalization;
using System.Text.RegularExpressions;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// The zoo's PP-OCRv4 recognizer through <c>modelbuild compress</c> with the zoo's labels.json and dictionary, read as
/// the zoo README says (BGR, height 48 keeping the aspect ratio, (x/255-0.5)/0.5): the original reproduces the
/// published 28.1% CER, which ignores case, and static int8 (Add and Mul kept in float, calibrated on the same ten
/// crops: only ten are labeled) stays within a 2-point budget of character accuracy.
/// </summary>
public sealed class ZooTextRecognitionCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [ZooFact]
    public void Int8_on_the_zoo_recognizer_meets_a_character_accuracy_budget_and_the_original_has_the_published_cer_ignoring_case()
    {
        var report = folder.File("rec.report.md");
        var words = Zoo.PathOf("ocr", "rec-words", "labels.json");

        var result = CliProcess.Run("compress", Zoo.PathOf("ocr", "ch_PP-OCRv4_rec_infer.onnx"), "--recipe", "int8", "--exclude-ops", "Add;Mul",
            // The sample app's settings: the first ten convolutions in float too, percentile ranges.
            "--exclude-nodes", string.Join(";", Enumerable.Range(0, 10).Select(i => $"p2o.Conv.{i}")), "--calibration-method", "percentile",
            "--output", folder.File("Rec.onnx"), "--description", folder.File("Rec.modeldesc"), "--report", report,
            "--calibration-data", words, "--evaluation-data", words, "--charset", Zoo.PathOf("ocr", "ppocr_keys_v1.txt"),
            "--preprocessing", "resize=x48;channels=bgr;mean=0.5;std=0.5", "--latency-rounds", "1", "--max-accuracy-drop", "2pt");
        output.WriteLine(result.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        var markdown = File.ReadAllText(report);
        Assert.Contains("| model | character accuracy | CER | CER ignoring case | exact words |", markdown);
        // original: character accuracy, CER, CER ignoring case (the zoo's 28.1%), exact words (3 of 10).
        var original = Regex.Match(markdown, @"^\| original \| ([\d.]+) % \| ([\d.]+) % \| ([\d.]+) % \| ([\d.]+) % \|", RegexOptions.Multiline);
        Assert.True(original.Success, markdown);
        Assert.Equal(28.1, double.Parse(original.Groups[3].Value, CultureInfo.InvariantCulture), 0.1);
        Assert.Equal("30.00", original.Groups[4].Value);
        Assert.Equal(100 - double.Parse(original.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(original.Groups[1].Value, CultureInfo.InvariantCulture), 0.01);
        Assert.Contains("| MaxAccuracyDrop | 2pt (at least", markdown);
        Assert.Matches(@"\| int8 \(percentile\) \| [\d.]+ % \|.*\| met \| \*\*yes\*\* \|", markdown);
    }
}
