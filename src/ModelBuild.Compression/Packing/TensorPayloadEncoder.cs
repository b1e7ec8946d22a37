using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Encodes a tensor's <c>raw_data</c> as the container's payload, the smallest of the chains the format has
/// (docs/internals.md, "Model container"): the bytes as one stream; byte planes (one per byte of the element type,
/// each coded on its own: the high bytes of float and int32 elements take few values, the low bytes many); and from
/// version 3 the non-zero elements with their positions (a pruned tensor pays for its zeros once, not once per plane)
/// and palette indices (a tensor of at most 256 distinct elements, as clustered or fake-quantized weights, costs one
/// coded byte per element); from version 7 the positions may be a bitmap, for int8 tensors too.
/// </summary>
internal static class TensorPayloadEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> rawData, int elementSize, byte version = ModelContainerFormat.Version) =>
        EncodeWithEntropy(rawData, elementSize, version).Payload;

    /// <summary>The smallest payload, and the order-0 entropy in bytes of the symbols its streams carry plus the bytes it stores as they are (a palette).</summary>
    public static EncodedPayload EncodeWithEntropy(ReadOnlySpan<byte> rawData, int elementSize, byte version)
    {
        var best = Planes(rawData, 1, version);
        var whole = elementSize is 1 or 2 or 4 or 8 && rawData.Length % elementSize == 0;
        if (!whole) return best;
        if (elementSize > 1) best = EncodedPayload.Smaller(best, Planes(rawData, elementSize, version));
        if (version < 3 || rawData.IsEmpty) return best;
        // For 1-byte elements byte flags cannot pay: the zero byte and its flag carry the same information
        // (H(byte) = H(flag) + p H(value | non-zero)). A bitmap can, a little (eight flags a symbol), and decodes fewer
        // symbols; a palette only renames the bytes.
        if (elementSize == 1)
        {
            if (version >= ModelContainerFormat.SparseBitmapVersion && Sparse(rawData, 1, version) is { } sparseBytes)
                best = Faster(best, sparseBytes, MostlyZero(rawData));
            return best;
        }
        if (Sparse(rawData, elementSize, version) is { } sparse) best = EncodedPayload.Smaller(best, sparse);
        if (Palette(rawData, elementSize, version) is { } palette) best = EncodedPayload.Smaller(best, palette);
        return best;
    }

    private static EncodedPayload Planes(ReadOnlySpan<byte> rawData, int planes, byte version)
    {
        var output = new ContainerBuffer().Byte((byte)planes);
        var entropy = WritePlanes(rawData, planes, output, version);
        return new EncodedPayload(output.ToArray(), entropy);
    }

    // Each plane as a stream; returns the planes' entropy in bytes.
    private static double WritePlanes(ReadOnlySpan<byte> data, int planes, ContainerBuffer output, byte version)
    {
        if (planes == 1)
        {
            StreamEncoder.Write(data, output, version);
            return PackedWeightStatistics.OrderZeroBytes(data);
        }
        double entropy = 0;
        var plane = new byte[data.Length / planes];
        for (var p = 0; p < planes; p++)
        {
            for (var i = 0; i < plane.Length; i++) plane[i] = data[i * planes + p];
            StreamEncoder.Write(plane, output, version);
            entropy += PackedWeightStatistics.OrderZeroBytes(plane);
        }
        return entropy;
    }

    // Kind, element size, non-zero count, the flags (a byte per element, or from version 7 a bitmap), then the non-zero
    // elements in 1 or elementSize planes.
    private static EncodedPayload? Sparse(ReadOnlySpan<byte> rawData, int elementSize, byte version)
    {
        var elements = rawData.Length / elementSize;
        var flags = new byte[elements];
        var values = new List<byte>();
        for (var i = 0; i < elements; i++)
        {
            var element = rawData.Slice(i * elementSize, elementSize);
            if (!element.ContainsAnyExcept((byte)0)) continue;
            flags[i] = 1;
            values.AddRange(element);
        }
        var nonZero = values.Count / elementSize;
        if (nonZero == elements) return null;

        var (head, flagEntropy) = FlagsHead(ModelContainerFormat.SparsePayload, flags, elementSize, nonZero, version);
        if (version >= ModelContainerFormat.SparseBitmapVersion)
        {
            var bitmap = FlagsHead(ModelContainerFormat.SparseBitmapPayload, Bitmap(flags), elementSize, nonZero, version);
            if (elementSize == 1 || bitmap.Head.Length <= head.Length * BitmapTolerance) (head, flagEntropy) = bitmap;
        }
        var valueBytes = values.ToArray();
        EncodedPayload? best = null;
        foreach (var planes in elementSize == 1 ? [1] : new[] { 1, elementSize })
        {
            var output = new ContainerBuffer().Bytes(head).Byte((byte)planes);
            var entropy = flagEntropy + WritePlanes(valueBytes, planes, output, version);
            best = best is null ? new EncodedPayload(output.ToArray(), entropy) : EncodedPayload.Smaller(best, new EncodedPayload(output.ToArray(), entropy));
        }
        return best;
    }

    // A bitmap's flags take about what byte flags do, and the entropy decoder turns out an eighth of the symbols: kept
    // where it costs at most 0.5 % more.
    private const double BitmapTolerance = 1.005;

    // A sparse payload's kind, element size, non-zero count and flags stream; and the flags' entropy in bytes.
    private static (byte[] Head, double FlagEntropy) FlagsHead(byte kind, byte[] flags, int elementSize, int nonZero, byte version)
    {
        var head = new ContainerBuffer().Byte(kind).Byte((byte)elementSize).Varint(nonZero);
        StreamEncoder.Write(flags, head, version);
        return (head.ToArray(), PackedWeightStatistics.OrderZeroBytes(flags));
    }

    // Bit b (least significant first) of byte j flags element 8j + b.
    private static byte[] Bitmap(byte[] flags)
    {
        var bitmap = new byte[(flags.Length + 7) / 8];
        for (var i = 0; i < flags.Length; i++) bitmap[i / 8] |= (byte)(flags[i] << (i % 8));
        return bitmap;
    }

    // A 1-byte tensor's sparse payload decodes faster than its bytes once most are zero (an eighth of a symbol per
    // element plus the non-zero ones, against one per element): kept there where it costs at most 0.5 % more.
    private static EncodedPayload Faster(EncodedPayload bytes, EncodedPayload sparse, bool mostlyZero) =>
        mostlyZero && sparse.Payload.Length <= bytes.Payload.Length * BitmapTolerance ? sparse : EncodedPayload.Smaller(bytes, sparse);

    private static bool MostlyZero(ReadOnlySpan<byte> rawData) => 2 * rawData.Count((byte)0) >= rawData.Length;

    // Kind, element size, palette size, the palette's elements, then an index per element.
    private static EncodedPayload? Palette(ReadOnlySpan<byte> rawData, int elementSize, byte version)
    {
        var elements = rawData.Length / elementSize;
        var indexOf = new Dictionary<ulong, int>();
        var indices = new byte[elements];
        for (var i = 0; i < elements; i++)
        {
            var key = Key(rawData.Slice(i * elementSize, elementSize));
            if (!indexOf.TryGetValue(key, out var index))
            {
                if (indexOf.Count == 256) return null;
                index = indexOf.Count;
                indexOf.Add(key, index);
            }
            indices[i] = (byte)index;
        }
        var output = new ContainerBuffer().Byte(ModelContainerFormat.PalettePayload).Byte((byte)elementSize).Varint(indexOf.Count);
        var element = new byte[8];
        foreach (var key in indexOf.Keys)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(element, key);
            output.Bytes(element.AsSpan(0, elementSize));
        }
        StreamEncoder.Write(indices, output, version);
        return new EncodedPayload(output.ToArray(), indexOf.Count * elementSize + PackedWeightStatistics.OrderZeroBytes(indices));
    }

    private static ulong Key(ReadOnlySpan<byte> element)
    {
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        element.CopyTo(padded);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(padded);
    }
}
