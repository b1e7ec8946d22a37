using System.IO.Compression;
using ModelBuild.Compression.Packing;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>Containers written field by field with whatever lengths a test declares, and what decoding them allocates.</summary>
internal static class ForgedContainer
{
    /// <summary>
    /// The decoder's working memory per decoding thread whatever the input: 9 stream decoders (with their 4 KB Huffman
    /// and 16 KB rANS tables), two 16 KB scratch pieces and for sparse payloads a 4 KB bitmap and 32 KB of values decoded
    /// ahead, and on the caller the 16 KB piece of the checksum pass,
    /// DeflateStream's buffer and the exception.
    /// </summary>
    public const long ThreadWorkingBytes = 256 * 1024;

    /// <summary>The decoder's working memory whatever the input, on the threads it may use here (<see cref="ParallelDecode"/>). Everything above it is the model.</summary>
    public static long WorkingBytes => ThreadWorkingBytes * ModelContainer.DefaultThreads;

    /// <summary>
    /// What decoding <paramref name="container"/> may allocate before its checksum is proven: the model it declares
    /// when that is at most <see cref="ModelContainer.MaxOnePassExpansion"/> times the container (decoded in one
    /// pass), nothing otherwise (decoded into the checksum first), plus the working memory.
    /// </summary>
    public static long RefusedBound(byte[] container, long declared) =>
        (declared <= (long)ModelContainer.MaxOnePassExpansion * container.Length ? Math.Max(declared, 0) : 0) + WorkingBytes;

    /// <summary>The header and graph part of a container: magic, version, model length, checksum (of the version's length), graph length, compressed graph.</summary>
    public static ContainerBuffer Header(long modelLength, long graphLength, byte[] deflatedGraph, byte[]? checksum = null, byte version = ModelContainerFormat.Version) =>
        new ContainerBuffer().Bytes(ModelContainerFormat.Magic).Byte(version)
            .Varint(modelLength).Bytes(checksum ?? new byte[ModelContainerFormat.ChecksumLength(version)])
            .Varint(graphLength).Varint(deflatedGraph.Length).Bytes(deflatedGraph);

    /// <summary>A container of one tensor, <paramref name="tensor"/>, coded as <paramref name="payload"/> and nothing else, with its right checksum.</summary>
    public static byte[] OneTensor(byte[] tensor, byte[] payload, byte version = ModelContainerFormat.Version)
    {
        return Header(tensor.Length, 0, Deflate([]), Checksum(tensor, version), version).Varint(1).Varint(0).Varint(tensor.Length).Bytes(payload).ToArray();
    }

    /// <summary>
    /// A version 7 sparse payload with its flags as a bitmap, whatever the writer would choose: kind, element size,
    /// non-zero count, the bitmap's stream, <paramref name="planes"/> and the non-zero elements' streams.
    /// </summary>
    public static byte[] SparseBitmap(byte[] tensor, int elementSize, int planes = 1)
    {
        var count = tensor.Length / elementSize;
        var bitmap = new byte[(count + 7) / 8];
        var values = new List<byte>();
        for (var i = 0; i < count; i++)
        {
            var element = tensor.AsSpan(i * elementSize, elementSize);
            if (!element.ContainsAnyExcept((byte)0)) continue;
            bitmap[i / 8] |= (byte)(1 << (i % 8));
            values.AddRange(element.ToArray());
        }
        var payload = new ContainerBuffer().Byte(ModelContainerFormat.SparseBitmapPayload).Byte((byte)elementSize).Varint(values.Count / elementSize);
        StreamEncoder.Write(bitmap, payload, ModelContainerFormat.Version);
        payload.Byte((byte)planes);
        var plane = new byte[values.Count / planes];
        for (var p = 0; p < planes; p++)
        {
            for (var i = 0; i < plane.Length; i++) plane[i] = values[i * planes + p];
            StreamEncoder.Write(plane, payload, ModelContainerFormat.Version);
        }
        return payload.ToArray();
    }

    public static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(data);
        return output.ToArray();
    }

    /// <summary>Zeros Deflate-compressed a piece at a time, so the test never holds them: a bomb of about <paramref name="zeros"/> / 1,000 bytes.</summary>
    public static byte[] DeflatedZeros(long zeros)
    {
        var output = new MemoryStream();
        var piece = new byte[1 << 20];
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var left = zeros; left > 0; left -= piece.Length)
                deflate.Write(piece, 0, (int)Math.Min(piece.Length, left));
        }
        return output.ToArray();
    }

    /// <summary>The checksum a container of <paramref name="version"/> records: XxHash3 from version 4, SHA-256 before.</summary>
    public static byte[] Checksum(ReadOnlySpan<byte> data, byte version = ModelContainerFormat.Version) => ModelContainerFormat.Checksum(data, version);

    /// <summary>
    /// Decodes <paramref name="container"/> as <see cref="ModelContainer.Decode(ReadOnlySpan{byte})"/> does, returning
    /// the model or the exception, and the bytes allocated meanwhile by this thread and by the pool threads that decoded
    /// part of it (their working memory is counted beyond <see cref="WorkingBytes"/>, which is the caller's).
    /// </summary>
    public static (byte[]? Model, Exception? Error, long Allocated) Decode(byte[] container)
    {
        var run = new DecodeRun();
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var model = ModelContainer.Decode(container, ModelContainer.DefaultThreads, run);
            return (model, null, Allocated());
        }
        catch (Exception e)
        {
            return (null, e, Allocated());
        }

        long Allocated() => GC.GetAllocatedBytesForCurrentThread() - before + run.WorkerAllocatedBytes;
    }
}
