using System.Globalization;

namespace ModelBuild.Compression.Data;

/// <summary>
/// Labeled images on disk, either one sub-folder per class (the class index is the folder's position in ordinal
/// alphabetical order, as torchvision's ImageFolder does) or a <c>file,label</c> CSV beside the images.
/// </summary>
public sealed class LabeledImageFolder
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    private LabeledImageFolder(IReadOnlyList<string> classNames, IReadOnlyList<LabeledFile> files)
    {
        ClassNames = classNames;
        Files = files;
    }

    /// <summary>Class names by index; empty when the labels came from a CSV of numbers.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The images, in a stable order: by class, then by file name (ordinal), or in CSV order.</summary>
    public IReadOnlyList<LabeledFile> Files { get; }

    public static LabeledImageFolder FromSubfolders(string root)
    {
        if (!Directory.Exists(root))
            throw new DataFileException(root, "the image folder does not exist", "a folder with one sub-folder per class", "no folder");
        var classFolders = Directory.GetDirectories(root).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        if (classFolders.Count == 0)
            throw new DataFileException(root, "no class folders", "one sub-folder per class", "no sub-folders");

        var files = new List<LabeledFile>();
        for (var label = 0; label < classFolders.Count; label++)
        {
            files.AddRange(Directory.GetFiles(classFolders[label])
                .Where(file => ImageExtensions.Contains(Path.GetExtension(file)))
                .Order(StringComparer.Ordinal)
                .Select(file => new LabeledFile(file, label)));
        }
        return new LabeledImageFolder(classFolders.Select(folder => Path.GetFileName(folder)!).ToList(), files);
    }

    /// <summary>Reads <c>file,label</c> lines (no header); file names are relative to the CSV's folder.</summary>
    public static LabeledImageFolder FromCsv(string csvPath)
    {
        if (!File.Exists(csvPath))
            throw new DataFileException(csvPath, "the label file does not exist", "a file,label CSV", "no file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var files = new List<LabeledFile>();
        var lineNumber = 0;
        foreach (var line in DataFileReads.ReadLines(csvPath))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
                continue;
            var comma = line.LastIndexOf(',');
            if (comma <= 0 || !int.TryParse(line.AsSpan(comma + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var label))
                throw new DataFileException($"{csvPath}({lineNumber})", "bad label line", "file,label with a non-negative integer label", $"\"{line}\"");
            var file = Path.Combine(folder, line[..comma].Trim());
            if (!File.Exists(file))
                throw new DataFileException($"{csvPath}({lineNumber})", "the labeled image does not exist", "an image file", $"no file at {file}");
            files.Add(new LabeledFile(file, label));
        }
        if (files.Count == 0)
            throw new DataFileException(csvPath, "no labeled images", "at least one file,label line", "none");
        return new LabeledImageFolder([], files);
    }
}
