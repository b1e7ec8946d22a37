using System.Text.Json;

namespace ModelBuild.Compression.Data;

/// <summary>Reads text recognition labels in mmocr's <c>TextRecogDataset</c> JSON (data_list[].img_path, instances[0].text).</summary>
public static class TextRecognitionLabels
{
    public static IReadOnlyList<(string ImagePath, string Text)> ReadMmocrJson(string labelsPath)
    {
        if (!File.Exists(labelsPath))
            throw new DataFileException(labelsPath, "the label file does not exist", "an mmocr labels.json", "no file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(labelsPath))!;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(labelsPath));
            var entries = new List<(string, string)>();
            foreach (var item in document.RootElement.GetProperty("data_list").EnumerateArray())
            {
                var image = item.GetProperty("img_path").GetString()!;
                var text = item.GetProperty("instances")[0].GetProperty("text").GetString()!;
                entries.Add((Path.Combine(folder, image), text));
            }
            return entries;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new DataFileException(labelsPath, "not an mmocr text recognition label file",
                "data_list[] entries with img_path and instances[0].text", e.Message, e);
        }
    }
}
