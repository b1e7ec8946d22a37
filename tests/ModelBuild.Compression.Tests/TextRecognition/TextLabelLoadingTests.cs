using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.TextRecognition;

/// <summary>Text labels for a CTC recognizer: which models get them, the three ways to give them, and bad label files.</summary>
public sealed class TextLabelLoadingTests : IDisposable
{
    private readonly TextRecognitionData data = new();
    private readonly ModelInputLayout layout = ModelInputLayout.Of(TextRecognizerModels.Recognizer());

    public void Dispose() => data.Dispose();

    private DatasetPreprocessing Defaults => PreprocessingSpec.Parse(null, layout, data.ModelPath);

    [Fact]
    public void A_model_whose_first_output_has_rank_3_is_a_text_recognizer_and_a_classifier_is_not()
    {
        Assert.True(layout.IsTextRecognizer);
        Assert.Equal(TextRecognizerModels.Classes, layout.ClassCount);
        Assert.False(ModelInputLayout.Of(TestModels.ConvClassifier()).IsTextRecognizer);
    }

    [Theory]
    [InlineData("words/labels.csv")]
    [InlineData("words/labels.json")]
    [InlineData("words")]
    public void A_file_text_csv_an_mmocr_json_or_a_folder_with_either_gives_each_image_its_text(string spec)
    {
        var loaded = DatasetLoader.Load(data.PathOf(spec), layout, Defaults);

        Assert.Null(loaded.Labels);
        Assert.Equal(TextRecognitionData.Labels, loaded.Texts);
        Assert.Equal(Path.Combine(data.Images, "08.png"), loaded.Sources[8]);
        Assert.Equal([1L, 1, TextRecognizerModels.Rows, TextRecognitionData.Width], loaded.Inputs[0].Shape);
    }

    [Fact]
    public void The_evaluation_count_keeps_the_first_images_with_their_texts()
    {
        var loaded = DatasetLoader.Load(data.CsvPath, layout, Defaults, limit: 3);

        Assert.Equal(["bad", "cab", "face"], loaded.Texts);
        Assert.Equal(3, loaded.Count);
    }

    [Fact]
    public void A_csv_text_is_everything_after_the_first_comma_and_quotes_around_it_are_removed()
    {
        var csv = Path.Combine(data.Images, "texts.csv");
        File.WriteAllLines(csv, ["00.png,12,99", "01.png,\"say \"\"hi\"\"\"", "02.png, two words "]);

        var entries = TextRecognitionLabels.ReadCsv(csv);

        Assert.Equal(["12,99", "say \"hi\"", " two words "], entries.Select(e => e.Text));
        Assert.Equal(Path.Combine(data.Images, "01.png"), entries[1].ImagePath);
    }

    [Fact]
    public void A_csv_line_without_a_comma_is_MB1010_naming_the_file_and_line()
    {
        var csv = Path.Combine(data.Images, "bad.csv");
        File.WriteAllLines(csv, ["00.png,bad", "01.png cab"]);

        var error = Assert.Throws<DataFileException>(() => DatasetLoader.Load(csv, layout, Defaults));

        Assert.Equal($"{csv}(2)", error.FilePath);
        Assert.Contains("expected file,text", error.Message);
        Assert.Contains("error MB1010", error.Message);
    }

    [Fact]
    public void A_label_naming_a_missing_image_is_MB1010_naming_the_label_file()
    {
        var csv = Path.Combine(data.Images, "missing.csv");
        File.WriteAllLines(csv, ["00.png,bad", "99.png,gone"]);

        var error = Assert.Throws<DataFileException>(() => DatasetLoader.Load(csv, layout, Defaults));

        Assert.Equal($"{csv}(2)", error.FilePath);
        Assert.Contains("99.png", error.Detail);
    }

    [Fact]
    public void A_json_that_is_not_mmocr_labels_is_MB1010_saying_what_was_expected()
    {
        var json = Path.Combine(data.Images, "other.json");
        File.WriteAllText(json, """{"images": ["00.png"]}""");

        var error = Assert.Throws<DataFileException>(() => DatasetLoader.Load(json, layout, Defaults));

        Assert.Equal(json, error.FilePath);
        Assert.Contains("data_list[] entries with img_path and instances[0].text", error.Detail);
    }

    [Fact]
    public void Text_labels_for_a_classifier_are_MB1013()
    {
        var classifier = ModelInputLayout.Of(TestModels.ConvClassifier());

        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(data.JsonPath, classifier, PreprocessingSpec.Parse("resize=8x8", classifier, data.ModelPath)));

        Assert.Equal(DiagnosticCodes.DataDoesNotFitModel, error.Code);
        Assert.Contains("text labels, but the model's first output is not [N, T, C]", error.Message);
    }

    [Fact]
    public void Class_folders_for_a_text_recognizer_are_MB1013_asking_for_text_labels()
    {
        var classes = data.PathOf("classes");
        Directory.CreateDirectory(Path.Combine(classes, "a"));
        File.Copy(Path.Combine(data.Images, "00.png"), Path.Combine(classes, "a", "00.png"));

        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(classes, layout, Defaults));

        Assert.Equal(DiagnosticCodes.DataDoesNotFitModel, error.Code);
        Assert.Contains("expected text labels", error.Message);
    }
}
