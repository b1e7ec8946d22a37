using System.Text;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>Writes NumPy <c>.npy</c> files (format 1.0, little endian), the simplest data the CLI reads.</summary>
public static class NpyArray
{
    public static void WriteFloats(string path, float[] values, params int[] shape) =>
        Write(path, "<f4", shape, values.SelectMany(BitConverter.GetBytes).ToArray());

    public static void WriteLongs(string path, long[] values) =>
        Write(path, "<i8", [values.Length], values.SelectMany(BitConverter.GetBytes).ToArray());

    private static void Write(string path, string type, int[] shape, byte[] data)
    {
        var dims = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var header = $"{{'descr': '{type}', 'fortran_order': False, 'shape': {dims}, }}";
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64 ending in '\n'.
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        file.Write([0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 1, 0]);
        file.Write(BitConverter.GetBytes((ushort)padded.Length));
        file.Write(Encoding.ASCII.GetBytes(padded));
        file.Write(data);
    }
}
