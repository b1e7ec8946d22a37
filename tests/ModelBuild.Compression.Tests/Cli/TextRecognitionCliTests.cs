using ModelBuild.Compression.Tests.TextRecognition;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary><c>compress</c> and <c>evaluate</c> on a CTC recognizer built in code, out of process, with text labels and a charset.</summary>
public sealed class TextRecognitionCliTests : IDisposable
{
    private readonly TextRecognitionData data = new();

    public void Dispose() => data.Dispose();

    private string Output => data.PathOf("out/Recognizer.onnx");

    private string Report => data.PathOf("out/Recognizer.report.md");

    [Fact]
    public void Compress_with_text_labels_and_a_charset_reports_character_accuracy_and_meets_a_points_budget()
    {
        var result = Compress("--evaluation-data", data.CsvPath, "--charset", data.CharsetPath, "--max-accuracy-drop", "1pt", "--report", Report);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("evaluation data: 12 inputs, text labels (character accuracy)", result.StandardOutput);
        Assert.Contains("character accuracy 97.37 %", result.StandardOutput);
        Assert.DoesNotContain("top-1", result.StandardOutput);
        Assert.Contains("| MaxAccuracyDrop | 1pt (at least 96.37 % character accuracy) | character accuracy 97.37 % (0.00 points below 97.37 %) | met |", File.ReadAllText(Report));
    }

    [Fact]
    public void A_charset_of_the_wrong_size_is_MB1021_on_the_charset_file_with_exit_1_and_no_outputs()
    {
        var charset = data.PathOf("keys.txt");
        File.WriteAllLines(charset, ["a", "b"]);

        var result = Compress("--evaluation-data", data.JsonPath, "--charset", charset);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{charset}: error MB1021: the charset does not fit the model's 17 classes: expected 15 lines", result.StandardError);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Text_labels_without_a_charset_are_MB1017_on_the_model()
    {
        var result = Compress("--evaluation-data", data.JsonPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{data.ModelPath}: error MB1017: the evaluation data has text labels", result.StandardError);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void Evaluate_without_labels_prints_text_agreement()
    {
        var compressed = Compress("--evaluation-data", Path.Combine(data.Images, "*.png"));

        var result = CliProcess.Run("evaluate", data.ModelPath, Output, "--evaluation-data", Path.Combine(data.Images, "*.png"), "--latency-rounds", "1");

        Assert.True(compressed.ExitCode == 0, compressed.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("accuracy: agreement of the decoded text with the original's", result.StandardOutput);
        Assert.Matches(@"text agreement\s+100\.00 %\s+100\.00 %", result.StandardOutput);
    }

    private CliResult Compress(params string[] options) => CliProcess.Run(
        ["compress", data.ModelPath, "--recipe", "fp16", "--output", Output, "--description", data.PathOf("out/Recognizer.modeldesc"), "--latency-rounds", "1", .. options]);
}
