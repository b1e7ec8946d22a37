using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Selection;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.TextRecognition;

/// <summary>
/// The side-by-side evaluation of a CTC recognizer: text agreement without labels, character accuracy with text
/// labels and a charset, and the charset's checks. The candidate reads every 'c' as 'd', so it misreads "cab" and
/// "face" and nothing else.
/// </summary>
public sealed class TextRecognitionComparisonTests : IDisposable
{
    private static readonly ComparisonOptions Quick = new() { LatencyInputs = 2, WarmupRounds = 0, LatencyRounds = 1 };

    private readonly TextRecognitionData data = new();
    private readonly ModelInputLayout layout = ModelInputLayout.Of(TextRecognizerModels.Recognizer());
    private readonly byte[] original = OnnxModelFile.ToBytes(TextRecognizerModels.Recognizer());
    private readonly byte[] misreadsC = OnnxModelFile.ToBytes(TextRecognizerModels.Recognizer(('c', 'd')));

    public void Dispose() => data.Dispose();

    private Dataset Load(string spec) => DatasetLoader.Load(spec, layout, PreprocessingSpec.Parse(null, layout, data.ModelPath));

    [Fact]
    public void Without_labels_a_candidate_scores_the_fraction_of_inputs_whose_decoded_text_equals_the_originals()
    {
        var unlabeled = Load(Path.Combine(data.Images, "*.png"));

        var measured = ModelComparison.Measure(original, [("misreads c", misreadsC)], unlabeled, Quick);

        Assert.All(measured, m => Assert.Equal(AccuracyMetric.TextAgreement, m.Metric));
        Assert.Equal(1.0, measured[0].Accuracy);
        Assert.Equal(10.0 / 12, measured[1].Accuracy, 1e-12);
        Assert.Null(measured[1].Text);
        Assert.Null(measured[1].Top5);
    }

    [Fact]
    public void With_text_labels_accuracy_is_one_minus_the_case_sensitive_cer_with_cer_ignoring_case_and_exact_words_beside_it()
    {
        var labeled = Load(data.JsonPath);

        var measured = ModelComparison.Measure(original, [("misreads c", misreadsC)], labeled, Quick with { Charset = Charset.Load(data.CharsetPath) });

        double characters = TextRecognitionData.LabelCharacters;
        Assert.All(measured, m => Assert.Equal(AccuracyMetric.CharacterAccuracy, m.Metric));
        // The original only misses the 'B' of "Bee"; the candidate also reads "dab" and "fade".
        Assert.Equal(1 - (1 / characters), measured[0].Accuracy, 1e-12);
        Assert.Equal(new TextAccuracy(1 / characters, 0, 11.0 / 12), measured[0].Text);
        Assert.Equal(1 - (3 / characters), measured[1].Accuracy, 1e-12);
        Assert.Equal(new TextAccuracy(3 / characters, 2 / characters, 9.0 / 12), measured[1].Text);
    }

    [Fact]
    public void A_selection_under_a_drop_budget_is_checked_and_explained_in_character_accuracy()
    {
        var request = new SelectionRequest(Load(data.CsvPath), new CompressionSettings())
        {
            Budget = new Budget(new AccuracyDrop(0, IsRelative: false)),
            Comparison = Quick with { Charset = Charset.Load(data.CharsetPath) },
        };

        var result = ModelSelection.Run("recognizer.onnx", TextRecognizerModels.Recognizer(), original, [Candidate.Of(Recipe.Float16)], request, searchExclusions: false);

        Assert.True(result.ChosenMeetsBudgets, result.Explanation);
        Assert.Contains($"character accuracy {1 - (1.0 / TextRecognitionData.LabelCharacters):P2}", result.Explanation);
        Assert.StartsWith("character accuracy ", Assert.Single(result.Chosen.Verdicts).Measured);
    }

    [Fact]
    public void A_charset_that_does_not_fit_the_models_classes_is_MB1021_naming_the_file_what_was_expected_and_found()
    {
        var charset = data.PathOf("short.txt");
        File.WriteAllLines(charset, ["a", "b", "c"]);

        var error = Assert.Throws<CompressionException>(() =>
            ModelComparison.Measure(original, [], Load(data.CsvPath), Quick with { Charset = Charset.Load(charset) }));

        Assert.Equal("MB1021", error.Code);
        Assert.Equal(charset, error.Origin);
        Assert.Contains("does not fit the model's 17 classes: expected 15 lines (blank, the lines, then a space", error.Message);
        Assert.Contains("or 16 (blank and the lines), found 3 lines", error.Message);
    }

    [Fact]
    public void A_charset_two_lines_short_of_the_classes_is_blank_the_lines_and_a_space_as_PaddleOCR_adds_one()
    {
        var path = data.PathOf("with-space.txt");
        File.WriteAllLines(path, TextRecognizerModels.Alphabet[..15].Select(c => c.ToString()));

        var classes = Charset.Load(path).ClassesFor(TextRecognizerModels.Classes);

        Assert.Equal(["", .. TextRecognizerModels.Alphabet[..15].Select(c => c.ToString()), " "], classes);
    }

    [Fact]
    public void A_missing_charset_file_is_MB1012()
    {
        var error = Assert.Throws<CompressionException>(() => Charset.Load(data.PathOf("none.txt")));

        Assert.Equal(DiagnosticCodes.DataNotFound, error.Code);
        Assert.Equal(data.PathOf("none.txt"), error.Origin);
    }

    [Fact]
    public void Text_labels_without_a_charset_are_MB1017()
    {
        var error = Assert.Throws<CompressionException>(() => ModelComparison.Measure(original, [], Load(data.CsvPath), Quick));

        Assert.Equal(DiagnosticCodes.DataRequired, error.Code);
        Assert.Contains("expected --charset", error.Message);
    }
}
