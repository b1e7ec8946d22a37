using System.Text.Json;
using ModelBuild.Compression.Tests.Accuracy.Data;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.TextRecognition;

/// <summary>
/// A temporary folder with <see cref="TextRecognizerModels"/>' recognizer, twelve word images drawn for it, their
/// texts as <c>labels.csv</c> (<c>file,text</c>) and <c>labels.json</c> (mmocr), and its charset. One label differs
/// from its image on purpose: "bee" is labeled "Bee", a character the model cannot read, so the original scores
/// below 100% case-sensitively and 100% ignoring case. Deleted on dispose.
/// </summary>
public sealed class TextRecognitionData : IDisposable
{
    public const int Width = 10;

    /// <summary>What each image shows; <see cref="Labels"/> are the same but for "Bee".</summary>
    public static readonly string[] Drawn = ["bad", "cab", "face", "gap", "hop", "jam", "kin", "lime", "bee", "add", "pen", "ink"];

    public static readonly string[] Labels = Drawn.Select(word => word == "bee" ? "Bee" : word).ToArray();

    /// <summary>38: the labels' characters, the denominator of the CER.</summary>
    public static int LabelCharacters => Labels.Sum(label => label.Length);

    private readonly TemporaryFolder folder = new();

    public TextRecognitionData()
    {
        File.WriteAllBytes(ModelPath, OnnxModelFile.ToBytes(TextRecognizerModels.Recognizer()));
        Directory.CreateDirectory(Images);
        for (var i = 0; i < Drawn.Length; i++)
        {
            var grey = TextRecognizerModels.Pixels(Drawn[i], Width);
            TestPngWriter.WriteRgb(Path.Combine(Images, ImageName(i)), Width, TextRecognizerModels.Rows, grey.SelectMany(p => new[] { p, p, p }).ToArray());
        }
        File.WriteAllLines(CsvPath, Labels.Select((label, i) => $"{ImageName(i)},{label}"));
        var json = new
        {
            metainfo = new { dataset_type = "TextRecogDataset", task_name = "textrecog" },
            data_list = Labels.Select((label, i) => new { instances = new[] { new { text = label } }, img_path = ImageName(i) }),
        };
        File.WriteAllText(JsonPath, JsonSerializer.Serialize(json));
        // Blank + these 16 lines = the model's 17 classes.
        File.WriteAllLines(CharsetPath, TextRecognizerModels.Alphabet.Select(c => c.ToString()));
    }

    public string ModelPath => folder.File("recognizer.onnx");

    /// <summary>The images with labels.csv and labels.json beside them.</summary>
    public string Images => folder.File("words");

    public string CsvPath => Path.Combine(Images, "labels.csv");

    public string JsonPath => Path.Combine(Images, "labels.json");

    public string CharsetPath => folder.File("charset.txt");

    public string PathOf(string name) => folder.File(name);

    public static string ImageName(int i) => $"{i:D2}.png";

    public void Dispose() => folder.Dispose();
}
