using Google.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// A CTC text recognizer (TextRecognizerModels: [N,1,16,W] -> [N,W,17]) through a real build: text labels and a
/// Charset on the item, the report in character accuracy under a points budget, and the charset as an input of the
/// incremental build.
/// </summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class TextRecognizerBuildTests(PackedModelBuild package, ScratchApp fixture) : IClassFixture<ScratchApp>
{
    private const string ModelFile = "Models/recognizer.onnx";
    private const int Width = 10;
    private static readonly string[] Words = ["bad", "cab", "face", "gap", "hop", "jam"];

    private readonly ConsumerApp _app = fixture.Fresh(package);

    [Fact]
    public void Text_labels_and_a_charset_give_a_character_accuracy_report_and_editing_the_charset_recompresses()
    {
        _app.WriteModel(ModelFile, TextRecognizerModels.Recognizer().ToByteArray());
        var words = Path.Combine(_app.Folder, "data", "words");
        Directory.CreateDirectory(words);
        for (var i = 0; i < Words.Length; i++)
            BmpImage.WriteGrey(Path.Combine(words, $"{i}.bmp"), Width, TextRecognizerModels.Rows, TextRecognizerModels.Pixels(Words[i], Width));
        File.WriteAllLines(Path.Combine(words, "labels.csv"), Words.Select((word, i) => $"{i}.bmp,{word}"));
        var charset = Path.Combine(_app.Folder, "data", "keys.txt");
        File.WriteAllLines(charset, TextRecognizerModels.Alphabet.Select(c => c.ToString()));
        _app.WriteProject($"""
            <OnnxModel Include="{ModelFile}" Compression="fp16" EvaluationData="data/words" Charset="data/keys.txt"
                       MaxAccuracyDrop="0pt" LatencyRounds="1" />
            """);

        var first = _app.Build();

        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains("6 inputs, text labels (character accuracy)", first.Output);
        var report = File.ReadAllText(Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Recognizer", "Recognizer.report.md"));
        Assert.Contains("character accuracy 100.00 %", report);
        Assert.Contains("| MaxAccuracyDrop | 0pt (at least 100.00 % character accuracy) |", report);
        Assert.DoesNotContain("top-1", report);

        var unchanged = _app.Build();
        Assert.True(unchanged.Succeeded, unchanged.ToString());
        Assert.Empty(BuildOutput.CompressorLines(unchanged, "recognizer.onnx"));

        // A dictionary that no longer fits the model's 17 classes: recompressed, and MB1021 on the charset file.
        File.WriteAllLines(charset, ["a", "b"]);
        var misfit = _app.Build();
        Assert.False(misfit.Succeeded, misfit.ToString());
        var error = Assert.Single(BuildOutput.Errors(misfit, "MB1021"));
        Assert.Equal(charset, error.File);
        Assert.Contains("expected 15 lines", error.Message);
    }
}
