using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelBuild.Compression.Data;

/// <summary>
/// Reads numpy <c>.npy</c> files (format versions 1 to 3): little-endian float32, uint8 or int64 in C order.
/// The header is a Python dict literal; only its three documented keys are read.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        if (!File.Exists(path))
            throw new DataFileException(path, "the data file does not exist", "a .npy file", "no file");
        var bytes = DataFileReads.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new DataFileException(path, "not a .npy file", "the magic \\x93NUMPY",
                Convert.ToHexString(bytes, 0, Math.Min(6, bytes.Length)));

        int major = bytes[6];
        var (headerLength, headerStart) = major switch
        {
            1 => (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2)), 10),
            2 or 3 when bytes.Length >= 12 => ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8, 4)), 12),
            _ => throw new DataFileException(path, "unsupported .npy format version", "1, 2 or 3", major.ToString(CultureInfo.InvariantCulture)),
        };
        if (headerStart + headerLength > bytes.Length)
            throw new DataFileException(path, "the .npy header is truncated", $"{headerLength} header bytes", $"{bytes.Length - headerStart}");
        var encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        var header = encoding.GetString(bytes, headerStart, headerLength);

        var elementType = ParseElementType(path, Field(path, header, DescrPattern()));
        if (Field(path, header, FortranOrderPattern()) != "False")
            throw new DataFileException(path, "unsupported .npy memory order", "'fortran_order': False (C order)", "Fortran order");
        var shape = ParseShape(path, Field(path, header, ShapePattern()));

        var count = shape.Aggregate(1L, (product, dimension) => product * dimension);
        var elementSize = elementType switch { NpyElementType.Float32 => 4, NpyElementType.UInt8 => 1, _ => 8 };
        var data = bytes.AsSpan(headerStart + headerLength);
        if (data.Length != count * elementSize)
            throw new DataFileException(path, "the .npy data does not match its shape",
                $"{count * elementSize} bytes for ({string.Join(", ", shape)}) {elementType}", $"{data.Length} bytes");

        Array values = elementType switch
        {
            NpyElementType.Float32 => MemoryMarshal.Cast<byte, float>(data).ToArray(),
            NpyElementType.UInt8 => data.ToArray(),
            _ => MemoryMarshal.Cast<byte, long>(data).ToArray(),
        };
        return new NpyArray(path, shape, elementType, values);
    }

    private static string Field(string path, string header, Regex pattern)
    {
        var match = pattern.Match(header);
        return match.Success
            ? match.Groups[1].Value.Trim()
            : throw new DataFileException(path, "the .npy header lacks a field", pattern.ToString(), header.Trim());
    }

    // MemoryMarshal reads in the machine's order, so the file's byte order must be little-endian ('<', or '|' for bytes).
    private static NpyElementType ParseElementType(string path, string descr) => descr switch
    {
        "<f4" => NpyElementType.Float32,
        "|u1" or "<u1" => NpyElementType.UInt8,
        "<i8" => NpyElementType.Int64,
        _ => throw new DataFileException(path, "unsupported .npy element type", "'<f4', '|u1' or '<i8'", $"'{descr}'"),
    };

    private static int[] ParseShape(string path, string shapeText)
    {
        var parts = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new DataFileException(path, "bad .npy shape", "a tuple of non-negative integers", $"({shapeText})");
        }
        return shape;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(\w+)")]
    private static partial Regex FortranOrderPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
