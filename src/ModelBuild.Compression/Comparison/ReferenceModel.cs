using System.Globalization;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Validation;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Comparison;

/// <summary>
/// A model measured beside the one being compressed (a distilled student's teacher, <c>--reference-model</c>): read
/// like a model (bounded, the same validity checks, ONNX Runtime must run it) and checked to take the same input and
/// give the same output as the model, so the same evaluation data and scoring fit it. It is an input of the build:
/// the read is recorded (<see cref="DataFileReads"/>), so editing it recompresses and changes the cache entry.
/// </summary>
public sealed record ReferenceModel(string Path, byte[] Bytes)
{
    /// <summary>Protobuf's own limit: no ONNX model larger than 2 GiB can be parsed.</summary>
    public const long MaxBytes = int.MaxValue;

    /// <summary>The name the report gives it: its file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Reads and checks it against <paramref name="model"/>; MB1024 (or the model file codes MB1002-MB1004,
    /// MB1008, MB1023, on its path) when it cannot stand beside the model.</summary>
    public static ReferenceModel Load(string path, ModelProto model)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw Unusable(full, $"expected an .onnx file, found {(Directory.Exists(full) ? "a folder" : "nothing")}. Check the path");
        // A FIFO or device reports 0 bytes: refused here rather than blocking the read.
        var reported = new FileInfo(full).Length;
        if (reported == 0)
            throw Unusable(full, "expected an ONNX model, found an empty file (or a pipe or device)");
        byte[]? bytes;
        try
        {
            bytes = DataFileReads.ReadAllBytesAtMost(full, MaxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable(full, $"it exists but cannot be read: {e.Message.TrimEnd('.')}. Check its permissions");
        }
        if (bytes is null)
            throw Unusable(full, string.Create(CultureInfo.InvariantCulture, $"expected an ONNX model of at most {MaxBytes:N0} bytes (protobuf's limit), found {reported:N0}"));
        var reference = OnnxModelFile.Parse(bytes, full);
        // Weights in external files were read into the model by the ONNX layer (bounded, inside the model's folder):
        // they are inputs of the build too, and ONNX Runtime gets the model self-contained, as bytes cannot point to them.
        var external = ExternalFiles(bytes, full);
        foreach (var file in external)
            DataFileReads.NoteRead(file);
        if (external.Count > 0)
            bytes = OnnxModelFile.ToBytes(reference);
        RuntimeLoadCheck.Check(bytes, reference, full, "the reference model");
        if (Mismatch(ModelSignature.Inputs(model), ModelSignature.Inputs(reference), "input") is { } input)
            throw Unusable(full, input);
        if (Mismatch(ModelSignature.Outputs(model).Take(1).ToList(), ModelSignature.Outputs(reference).Take(1).ToList(), "first output") is { } output)
            throw Unusable(full, output);
        return new ReferenceModel(full, bytes);
    }

    /// <summary>The external data files the model file names (read again structurally: loading has replaced them by the data).</summary>
    private static IReadOnlyList<string> ExternalFiles(byte[] bytes, string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path) ?? ".";
        return ModelTensors.All(ModelProto.Parser.ParseFrom(bytes))
            .Where(t => t.DataLocation == TensorProto.Types.DataLocation.External)
            .SelectMany(t => t.ExternalData.Where(e => e.Key == "location").Select(e => System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, e.Value))))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>What differs between the model's tensors and the reference's, in words, or null: the same count, element
    /// types and ranks, and equal sizes where both give a number (a named or unknown dimension fits any).</summary>
    private static string? Mismatch(IReadOnlyList<TensorSignature> expected, IReadOnlyList<TensorSignature> found, string what)
    {
        if (expected.Count != found.Count)
            return $"expected {expected.Count} {what}(s) like the model's ({Describe(expected)}), found {found.Count} ({Describe(found)})";
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, f) = (expected[i], found[i]);
            var sameDims = e.Dims is null || f.Dims is null
                || (e.Dims.Count == f.Dims.Count && e.Dims.Zip(f.Dims).All(d => !IsNumber(d.First) || !IsNumber(d.Second) || d.First == d.Second));
            if (e.ElementType != f.ElementType || !sameDims)
                return $"expected the model's {what} {Describe([e])} (the same evaluation data is fed to both and scored alike), found {Describe([f])}";
        }
        return null;
    }

    private static bool IsNumber(string dimension) => dimension.Length > 0 && dimension.All(char.IsAsciiDigit);

    private static string Describe(IEnumerable<TensorSignature> tensors) =>
        string.Join(", ", tensors.Select(t => $"'{t.Name}' {t.ElementType} [{(t.Dims is null ? "rank unknown" : string.Join(", ", t.Dims))}]"));

    private static CompressionException Unusable(string path, string detail) =>
        new(DiagnosticCodes.ReferenceModelUnusable, path, $"the reference model (--reference-model, ReferenceModel on the item) cannot be measured beside the model: {detail}");
}
