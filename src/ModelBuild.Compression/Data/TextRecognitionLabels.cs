using System.Text.Json;

namespace ModelBuild.Compression.Data;

/// <summary>
/// Reads the text labels of word or line images: mmocr's <c>TextRecogDataset</c> JSON (data_list[].img_path,
/// instances[0].text) or a <c>file,text</c> CSV. Image paths are relative to the label file; every image must exist.
/// A file that cannot be read is MB1010 naming the file (and the line or entry).
/// </summary>
public static class TextRecognitionLabels
{
    public static IReadOnlyList<(string ImagePath, string Text)> ReadMmocrJson(string labelsPath)
    {
        if (!File.Exists(labelsPath))
            throw new DataFileException(labelsPath, "the label file does not exist", "an mmocr labels.json", "no file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(labelsPath))!;
        var entries = new List<(string, string)>();
        try
        {
            using var document = JsonDocument.Parse(DataFileReads.ReadAllBytes(labelsPath));
            foreach (var item in document.RootElement.GetProperty("data_list").EnumerateArray())
            {
                var image = item.GetProperty("img_path").GetString()!;
                var text = item.GetProperty("instances")[0].GetProperty("text").GetString()!;
                entries.Add((Existing(Path.Combine(folder, image), $"{labelsPath}: data_list[{entries.Count}]"), text));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new DataFileException(labelsPath, "not an mmocr text recognition label file",
                "data_list[] entries with img_path and instances[0].text", e.Message, e);
        }
        return NotEmpty(entries, labelsPath, "data_list[] entries");
    }

    /// <summary>
    /// <c>file,text</c> lines, no header: the text is everything after the first comma, as written (commas and
    /// spaces included); a text in double quotes is unquoted (<c>""</c> inside stands for one quote).
    /// </summary>
    public static IReadOnlyList<(string ImagePath, string Text)> ReadCsv(string csvPath)
    {
        if (!File.Exists(csvPath))
            throw new DataFileException(csvPath, "the label file does not exist", "a file,text CSV", "no file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var entries = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in DataFileReads.ReadLines(csvPath))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
                continue;
            var comma = line.IndexOf(',');
            if (comma <= 0)
                throw new DataFileException($"{csvPath}({lineNumber})", "bad label line", "file,text (an image file, a comma, then the text it shows)", $"\"{line}\"");
            var image = Existing(Path.Combine(folder, line[..comma].Trim()), $"{csvPath}({lineNumber})");
            entries.Add((image, Unquote(line[(comma + 1)..])));
        }
        return NotEmpty(entries, csvPath, "file,text lines");
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : text;

    private static string Existing(string imagePath, string source) => File.Exists(imagePath)
        ? imagePath
        : throw new DataFileException(source, "the labeled image does not exist", "an image file", $"no file at {imagePath}");

    private static IReadOnlyList<(string, string)> NotEmpty(List<(string, string)> entries, string path, string expected) => entries.Count > 0
        ? entries
        : throw new DataFileException(path, "no labeled images", $"at least one of the {expected}", "none");
}
