using System.Buffers.Binary;
using System.IO.Compression;

namespace ModelBuild.Compression.Data;

/// <summary>
/// Reads IDX files (http://yann.lecun.com/exdb/mnist/), plain or gzip-compressed (recognized by content, not name).
/// Only the unsigned byte element type (0x08) is supported: it is what MNIST and Fashion-MNIST use.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    public static IdxArray Read(string path)
    {
        var bytes = ReadMaybeGzip(path);
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new DataFileException(path, "not an IDX file", "the magic bytes 00 00 <type> <rank>",
                bytes.Length < 4 ? $"only {bytes.Length} bytes" : Convert.ToHexString(bytes, 0, 4));
        if (bytes[2] != UnsignedByteType)
            throw new DataFileException(path, "unsupported IDX element type", "0x08 (unsigned byte)", $"0x{bytes[2]:X2}");

        int rank = bytes[3];
        var headerLength = 4 + (4 * rank);
        if (bytes.Length < headerLength)
            throw new DataFileException(path, "the IDX header is truncated", $"{headerLength} header bytes for rank {rank}",
                $"{bytes.Length} bytes");

        var dimensions = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * i), 4));
            if (dimensions[i] < 0)
                throw new DataFileException(path, "invalid IDX dimension", "a non-negative size", dimensions[i].ToString());
            count *= dimensions[i];
        }
        if (bytes.Length - headerLength != count)
            throw new DataFileException(path, "the IDX data does not match its dimensions",
                $"{count} values for [{string.Join(", ", dimensions)}]", $"{bytes.Length - headerLength} bytes after the header");
        return new IdxArray(path, dimensions, bytes[headerLength..]);
    }

    private static byte[] ReadMaybeGzip(string path)
    {
        if (!File.Exists(path))
            throw new DataFileException(path, "the data file does not exist", "an IDX file", "no file");
        var raw = DataFileReads.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
            return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, "the gzip stream is damaged", "a complete gzip file", e.Message, e);
        }
    }
}
