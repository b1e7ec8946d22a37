namespace ModelBuild.Runtime.Packing;

/// <summary>
/// Decodes a ModelBuild container (the embedded resource of a packed recipe such as <c>int8+huffman</c>) into the
/// standard ONNX bytes it was made from. Decoding is byte splicing: the container holds the ONNX file with the
/// payload of each packed tensor's <c>raw_data</c> cut out (Deflate-compressed), and each payload entropy-coded with
/// where it goes back, so no protobuf code is needed. The resource is treated as untrusted: every length, count,
/// code table and offset is checked, and the result must match the recorded checksum of the model (XxHash3; SHA-256
/// before version 4); anything else is a
/// <see cref="ModelContainerException"/> saying where and what.
/// </summary>
public static class ModelContainer
{
    /// <summary>Whether <paramref name="resource"/> is a container (by its magic); a plain ONNX model never is.</summary>
    public static bool IsContainer(ReadOnlySpan<byte> resource) => ModelContainerFormat.IsContainer(resource);

    /// <summary>The ONNX model a container holds, or <paramref name="resource"/> itself when it is plain ONNX.</summary>
    public static byte[] DecodeIfContainer(byte[] resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return IsContainer(resource) ? Decode(resource) : resource;
    }

    /// <summary>
    /// Deflate's densest output: a length-258 match at distance 1 coded in 2 bits (1-bit length and distance codes)
    /// gives 258 bytes per 2 bits, 1,032 bytes per stored byte; nothing in RFC 1951 codes more in less.
    /// </summary>
    internal const int MaxDeflateRatio = 1032;

    /// <summary>
    /// How many times its own size a container may declare and still be decoded in one pass straight into a model
    /// of the declared length. The zoo's containers decode to 1 to 5 times their size (a pruned float model's weights
    /// code to a few bits per byte); a container declaring more (in a legitimate one: large all-constant tensors) is decoded
    /// into the checksum first, so that a forged length costs time, not memory.
    /// </summary>
    internal const int MaxOnePassExpansion = 32;

    /// <summary>The ONNX model bytes the container holds, bit for bit as they were packed.</summary>
    /// <remarks>
    /// A first pass reads every field and checks every bound (each declared length against what its stored bytes can
    /// decode to) without decoding. Then, when the declared model is at most <see cref="MaxOnePassExpansion"/> times
    /// the container, the model is allocated at its declared length, decoded once (its tensors and graph part on up to
    /// min(cores, 4) threads from 128 KB on: <see cref="ParallelDecode"/>) and hashed whole; a checksum mismatch
    /// throws and the model is dropped. Otherwise (a constant stream can declare
    /// any length in 2 bytes) the model is first decoded through a 16 KB buffer into the checksum and allocated and
    /// decoded again only when it matches, so what any container can make the decoder allocate is at most
    /// <see cref="MaxOnePassExpansion"/> times its own size before the checksum is proven, and what a forged one can
    /// still cost beyond that is time (the checksum of at most <see cref="Array.MaxLength"/> bytes), never memory.
    /// </remarks>
    /// <exception cref="ModelContainerException">The resource is not a container, is damaged, or has another format version.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> resource) => Decode(resource, DefaultThreads, null);

    /// <summary>
    /// The threads a decode may use: the caller and pool threads, up to <see cref="ParallelDecode.MaxThreads"/>; the
    /// caller alone while the pool has no thread yet, as in a fresh console app: starting the pool made such a first
    /// decode several milliseconds slower, more than the threads save on the zoo's models.
    /// </summary>
    internal static int DefaultThreads => ThreadPool.ThreadCount > 0 ? Math.Min(Environment.ProcessorCount, ParallelDecode.MaxThreads) : 1;

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte})"/> on at most <paramref name="maxThreads"/> threads (1: sequential), saying in <paramref name="run"/> how it ran.</summary>
    internal static unsafe byte[] Decode(ReadOnlySpan<byte> resource, int maxThreads, DecodeRun? run)
    {
        var reader = new ContainerReader(resource);
        var header = ReadHeader(ref reader);
        var deflatedOffset = reader.Position;
        reader.ReadBytes(header.DeflatedSkeletonLength, "the compressed graph");
        if (header.SkeletonLength > MaxDeflateRatio * header.DeflatedSkeletonLength)
            throw new ModelContainerException(deflatedOffset, $"a graph of {header.SkeletonLength} bytes cannot be Deflate-compressed into {header.DeflatedSkeletonLength} bytes (at most {MaxDeflateRatio} bytes come from each one)");
        var layout = new Layout(header, deflatedOffset, reader.Position);
        var streams = new TensorDecoders();

        var onePass = header.DecodedLength <= (long)MaxOnePassExpansion * resource.Length;
        // Places are recorded only where threads may decode: nothing is kept for a small model.
        var places = onePass && maxThreads > 1 && header.DecodedLength >= ParallelDecode.MinParallelBytes ? new ParallelDecode(deflatedOffset, header.DeflatedSkeletonLength, header.SkeletonLength, header.Version) : null;
        using (var structure = DecodedOutput.StructureOnly())
            Walk(resource, layout, structure, streams, places);
        if (onePass)
        {
            var decoded = GC.AllocateUninitializedArray<byte>((int)header.DecodedLength);
            var threads = places?.Threads(maxThreads) ?? 1;
            if (threads > 1)
            {
                fixed (byte* start = resource)
                    places!.Run(start, resource.Length, decoded, threads, streams, run);
            }
            else
            {
                using var into = DecodedOutput.Into(decoded);
                Walk(resource, layout, into, streams, null);
            }
            RequireChecksum(ModelChecksum.Matches(decoded, header.Checksum, header.Version), header);
            return decoded;
        }
        using (var checksum = DecodedOutput.Checksum(header.Version))
        {
            Walk(resource, layout, checksum, streams, null);
            RequireChecksum(checksum.ChecksumMatches(header.Checksum), header);
        }
        var model = GC.AllocateUninitializedArray<byte>((int)header.DecodedLength);
        using (var into = DecodedOutput.Into(model))
            Walk(resource, layout, into, streams, null);
        return model;
    }

    private static void RequireChecksum(bool matches, Header header)
    {
        if (!matches)
            throw new ModelContainerException(ModelContainerFormat.Magic.Length + 1, $"the decoded model does not match the recorded {ModelContainerFormat.ChecksumName(header.Version)} checksum");
    }

    // One pass over the graph part and the tensors, in model order; the structure pass records each tensor's place in places.
    private static unsafe void Walk(ReadOnlySpan<byte> resource, Layout layout, DecodedOutput output, TensorDecoders streams, ParallelDecode? places)
    {
        var header = layout.Header;
        var reader = new ContainerReader(resource, layout.TensorsOffset);
        fixed (byte* start = resource)
        {
            using var graph = output.Decodes ? new GraphInflater(start + layout.DeflatedOffset, header.DeflatedSkeletonLength, header.SkeletonLength, layout.DeflatedOffset) : null;
            var tensorCount = reader.ReadVarint("the tensor count", header.DecodedLength);
            long written = 0;
            long skeletonCopied = 0;
            long insertAt = 0;
            for (long tensor = 0; tensor < tensorCount; tensor++)
            {
                var entryOffset = reader.Position;
                insertAt += reader.ReadVarint("a tensor's offset", header.SkeletonLength);
                if (insertAt > header.SkeletonLength)
                    throw new ModelContainerException(entryOffset, $"tensor {tensor} goes at byte {insertAt} of a graph of {header.SkeletonLength} bytes");
                var length = reader.ReadVarint("a tensor's length", header.DecodedLength);
                var skeletonPart = insertAt - skeletonCopied;
                if (length > header.DecodedLength - written - skeletonPart)
                    throw new ModelContainerException(entryOffset, $"tensor {tensor} of {length} bytes does not fit the {header.DecodedLength}-byte model");
                graph?.CopyTo(output, skeletonPart);
                written += skeletonPart;
                skeletonCopied = insertAt;
                places?.Add(reader.Position, insertAt, written, length);
                TensorPayload.Decode(ref reader, length, output, streams, header.Version);
                written += length;
            }
            var rest = header.SkeletonLength - skeletonCopied;
            if (written + rest != header.DecodedLength)
                throw new ModelContainerException(reader.Position, $"the graph and tensors make {written + rest} bytes, but the header says the model has {header.DecodedLength}");
            if (reader.Remaining != 0)
                throw new ModelContainerException(reader.Position, $"expected the end of the container, found {reader.Remaining} more bytes");
            graph?.CopyTo(output, rest);
            graph?.RequireEnd();
        }
    }

    /// <summary>The sizes a container records, read without decoding it.</summary>
    /// <exception cref="ModelContainerException">The resource is not a container or its header is damaged.</exception>
    public static ModelContainerInfo ReadInfo(ReadOnlySpan<byte> resource)
    {
        var reader = new ContainerReader(resource);
        var header = ReadHeader(ref reader);
        return new ModelContainerInfo(header.Version, resource.Length, header.DecodedLength);
    }

    private static Header ReadHeader(ref ContainerReader reader)
    {
        var magic = reader.ReadBytes(Math.Min(reader.Remaining, ModelContainerFormat.Magic.Length), "the magic");
        if (!magic.SequenceEqual(ModelContainerFormat.Magic))
            throw new ModelContainerException(0, $"expected the ModelBuild container magic {Convert.ToHexString(ModelContainerFormat.Magic)}, found {Convert.ToHexString(magic)}");
        var version = reader.ReadByte("the format version");
        if (version is < ModelContainerFormat.OldestVersion or > ModelContainerFormat.Version)
            throw new ModelContainerException(reader.Position - 1, $"format version {version} is not supported: this runtime reads versions {ModelContainerFormat.OldestVersion} to {ModelContainerFormat.Version}; use the ModelBuild package the model was built with");
        var decodedLength = reader.ReadVarint("the model length", Array.MaxLength);
        var checksum = reader.ReadBytes(ModelContainerFormat.ChecksumLength(version), "the checksum").ToArray();
        var skeletonLength = reader.ReadVarint("the graph length", decodedLength);
        var deflatedLength = reader.ReadVarint("the compressed graph length", reader.Remaining);
        return new Header(version, decodedLength, checksum, skeletonLength, deflatedLength);
    }

    private sealed record Header(byte Version, long DecodedLength, byte[] Checksum, long SkeletonLength, long DeflatedSkeletonLength);

    /// <summary>The header and where the compressed graph and the tensor table start.</summary>
    private sealed record Layout(Header Header, int DeflatedOffset, int TensorsOffset);
}
