using System.Globalization;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Data;

/// <summary>
/// A CTC recognizer's dictionary file, one character (or string) per line, as PaddleOCR's <c>ppocr_keys_v1.txt</c>.
/// Class 0 is the blank, then the lines in order; PaddleOCR models trained with <c>use_space_char</c> add a space as
/// the last class. So a file of n lines fits a model of n + 2 classes (blank, lines, space) or n + 1 (blank, lines);
/// any other size is MB1021, naming the file.
/// </summary>
public sealed class Charset
{
    private Charset(string path, IReadOnlyList<string> lines)
    {
        Path = path;
        Lines = lines;
    }

    public string Path { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>Reads the file; MB1012 when it does not exist (the path is the origin).</summary>
    public static Charset Load(string path)
    {
        if (!File.Exists(path))
            throw new CompressionException(DiagnosticCodes.DataNotFound, path,
                "the charset file does not exist: expected a dictionary file with one character per line (such as PaddleOCR's ppocr_keys_v1.txt), found no file");
        // A final line break ends the last line; it does not add an empty character.
        return new Charset(path, DataFileReads.ReadAllLines(path));
    }

    /// <summary>The class strings by index for a model with <paramref name="classCount"/> classes ("" for the blank).</summary>
    public IReadOnlyList<string> ClassesFor(int classCount)
    {
        if (classCount == Lines.Count + 2)
            return ["", .. Lines, " "];
        if (classCount == Lines.Count + 1)
            return ["", .. Lines];
        throw new CompressionException(DiagnosticCodes.CharsetMismatch, Path, string.Create(CultureInfo.InvariantCulture,
            $"the charset does not fit the model's {classCount} classes: expected {classCount - 2} lines (blank, the lines, then a space, as PaddleOCR's dictionaries) or {classCount - 1} (blank and the lines), found {Lines.Count} lines. Use the dictionary the model was trained with"));
    }
}
