using System.Text.Json;

namespace SampleApp.Reporting;

/// <summary>
/// The expected text of word images, from a <c>labels.json</c> beside them in mmocr's TextRecogDataset format
/// (<c>{"data_list": [{"img_path": "a.jpg", "instances": [{"text": "GRAND"}]}]}</c>), as the zoo's word crops have.
/// </summary>
public static class WordLabels
{
    public const string FileName = "labels.json";

    /// <summary>The expected text per full image path; empty when the folder has no labels file.</summary>
    public static IReadOnlyDictionary<string, string> ReadBeside(string imagePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(imagePath))!;
        var labelsPath = Path.Combine(folder, FileName);
        if (!File.Exists(labelsPath))
            return new Dictionary<string, string>();

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(labelsPath));
            return document.RootElement.GetProperty("data_list").EnumerateArray().ToDictionary(
                entry => Path.Combine(folder, entry.GetProperty("img_path").GetString()!),
                entry => entry.GetProperty("instances")[0].GetProperty("text").GetString()!);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidDataException(
                $"{labelsPath}: expected mmocr TextRecogDataset labels (data_list[].img_path, data_list[].instances[0].text); {exception.Message}",
                exception);
        }
    }
}
