namespace ModelBuild.Runtime.Packing;

/// <summary>
/// One packed tensor's payload. Its first byte says its kind: a plane count (1, 2, 4 or 8) and one stream per byte
/// plane, or, from version 3, a <see cref="ModelContainerFormat.SparsePayload"/> (<see cref="SparsePayload"/>; from version 7
/// also <see cref="ModelContainerFormat.SparseBitmapPayload"/>) or a
/// <see cref="ModelContainerFormat.PalettePayload"/> (<see cref="PalettePayload"/>). With P planes, plane p holds bytes
/// p, p + P, p + 2P, ... of the tensor's <c>raw_data</c>: the exponent bytes of float weights and the high bytes of
/// int32 biases are nearly constant and code well apart from the noisy low bytes.
/// </summary>
internal static class TensorPayload
{
    public const int MaxPlanes = 8;

    /// <summary>
    /// Reads and checks the payload of a tensor of <paramref name="length"/> bytes and, unless
    /// <paramref name="output"/> only checks structure, decodes it into <paramref name="output"/> a piece at a time.
    /// </summary>
    /// <param name="reader">At the payload; left after it.</param>
    /// <param name="length">The tensor's bytes, already checked to fit the model.</param>
    /// <param name="output">The pass's output.</param>
    /// <param name="decoders">The reusable stream decoders and scratch.</param>
    /// <param name="version">The container's format version.</param>
    public static void Decode(ref ContainerReader reader, long length, DecodedOutput output, TensorDecoders decoders, byte version)
    {
        var kindOffset = reader.Position;
        var kind = reader.ReadByte("a tensor's plane count");
        if (version >= 3 && kind == ModelContainerFormat.SparsePayload)
        {
            SparsePayload.Decode(ref reader, length, output, decoders, version, bitmap: false);
            return;
        }
        if (version >= ModelContainerFormat.SparseBitmapVersion && kind == ModelContainerFormat.SparseBitmapPayload)
        {
            SparsePayload.Decode(ref reader, length, output, decoders, version, bitmap: true);
            return;
        }
        if (version >= 3 && kind == ModelContainerFormat.PalettePayload)
        {
            PalettePayload.Decode(ref reader, length, output, decoders, version);
            return;
        }
        if (!IsPlaneCount(kind, length))
            throw new ModelContainerException(kindOffset, $"a tensor of {length} bytes has {kind} byte planes; expected 1, 2, 4 or 8 that divide its length{Kinds(version)}");
        var streams = decoders.Streams;
        var planeLength = length / kind;
        for (var p = 0; p < kind; p++) streams[p].Read(ref reader, planeLength, version);
        if (!output.Decodes) return;

        // Whole elements per piece, so every piece holds the same number of bytes of each plane.
        var elementsPerPiece = DecodedOutput.PieceLength / kind;
        for (long done = 0; done < planeLength; done += elementsPerPiece)
        {
            var elements = (int)Math.Min(elementsPerPiece, planeLength - done);
            var piece = output.Next(elements * kind);
            DecodePlanes(reader.Bytes, piece, streams.AsSpan(0, kind), decoders.Values);
            output.Advance(elements * kind);
        }
        for (var p = 0; p < kind; p++) streams[p].Finish(reader.Bytes);
    }

    private static string Kinds(byte version) => version switch
    {
        < 3 => "",
        < ModelContainerFormat.SparseBitmapVersion => $", or payload kind {ModelContainerFormat.SparsePayload} (sparse) or {ModelContainerFormat.PalettePayload} (palette)",
        _ => $", or payload kind {ModelContainerFormat.SparsePayload} (sparse), {ModelContainerFormat.SparseBitmapPayload} (sparse, bitmap) or {ModelContainerFormat.PalettePayload} (palette)",
    };

    /// <summary>Whether <paramref name="count"/> is a plane count (1, 2, 4 or 8) that divides <paramref name="length"/>.</summary>
    public static bool IsPlaneCount(int count, long length) => count is 1 or 2 or 4 or 8 && length % count == 0;

    /// <summary>Reads an element size (a plane count) that divides <paramref name="length"/>, or throws naming <paramref name="what"/>.</summary>
    public static int ReadElementSize(ref ContainerReader reader, long length, string what)
    {
        var offset = reader.Position;
        var size = reader.ReadByte(what);
        if (!IsPlaneCount(size, length))
            throw new ModelContainerException(offset, $"{what} is {size} for a tensor of {length} bytes; expected 1, 2, 4 or 8 that divides its length");
        return size;
    }

    /// <summary>
    /// The next symbols of each plane's stream interleaved into <paramref name="piece"/>: plane p into bytes p, p + P, ...
    /// Each plane is decoded whole into its part of <paramref name="scratch"/> (a decoder writes contiguous bytes,
    /// and a stored plane is one copy), then the planes are interleaved a vector at a time.
    /// </summary>
    public static void DecodePlanes(ReadOnlySpan<byte> resource, Span<byte> piece, ReadOnlySpan<PlaneStream> planes, Span<byte> scratch)
    {
        if (planes.Length == 1)
        {
            planes[0].DecodeNext(resource, piece);
            return;
        }
        var planeLength = piece.Length / planes.Length;
        var decoded = scratch[..piece.Length];
        for (var p = 0; p < planes.Length; p++) planes[p].DecodeNext(resource, decoded.Slice(p * planeLength, planeLength));
        PlaneInterleave.Interleave(decoded, piece, planes.Length);
    }

    /// <summary>Decodes one payload on its own into <paramref name="output"/> (the writer's tests).</summary>
    public static void Decode(ref ContainerReader reader, byte[] output)
    {
        using var into = DecodedOutput.Into(output);
        Decode(ref reader, output.Length, into, new TensorDecoders(), ModelContainerFormat.Version);
    }
}
