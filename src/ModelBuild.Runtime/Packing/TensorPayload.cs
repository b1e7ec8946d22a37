namespace ModelBuild.Runtime.Packing;

/// <summary>
/// One packed tensor's payload: a plane count (1, 2, 4 or 8) and one stream per byte plane. With P planes, plane p
/// holds bytes p, p + P, p + 2P, ... of the tensor's <c>raw_data</c>: the exponent bytes of float weights and the
/// high bytes of int32 biases are nearly constant and code well apart from the noisy low bytes.
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
    /// <param name="streams"><see cref="MaxPlanes"/> reusable stream decoders.</param>
    /// <param name="version">The container's format version.</param>
    public static void Decode(ref ContainerReader reader, long length, DecodedOutput output, PlaneStream[] streams, byte version)
    {
        var planesOffset = reader.Position;
        var planes = reader.ReadByte("a tensor's plane count");
        if (planes is not (1 or 2 or 4 or 8) || length % planes != 0)
            throw new ModelContainerException(planesOffset, $"a tensor of {length} bytes has {planes} byte planes; expected 1, 2, 4 or 8 that divide its length");
        var planeLength = length / planes;
        for (var p = 0; p < planes; p++) streams[p].Read(ref reader, planeLength, version);
        if (!output.Decodes) return;

        // Whole elements per piece, so every piece holds the same number of bytes of each plane.
        var elementsPerPiece = DecodedOutput.PieceLength / planes;
        for (long done = 0; done < planeLength; done += elementsPerPiece)
        {
            var elements = (int)Math.Min(elementsPerPiece, planeLength - done);
            var piece = output.Next(elements * planes);
            for (var p = 0; p < planes; p++) streams[p].DecodeNext(reader.Bytes, piece, p, planes);
            output.Advance(elements * planes);
        }
        for (var p = 0; p < planes; p++) streams[p].Finish(reader.Bytes);
    }

    /// <summary>Decodes one payload on its own into <paramref name="output"/> (the writer's tests).</summary>
    public static void Decode(ref ContainerReader reader, byte[] output)
    {
        using var into = DecodedOutput.Into(output);
        Decode(ref reader, output.Length, into, NewStreams(), ModelContainerFormat.Version);
    }

    public static PlaneStream[] NewStreams()
    {
        var streams = new PlaneStream[MaxPlanes];
        for (var p = 0; p < streams.Length; p++) streams[p] = new PlaneStream();
        return streams;
    }
}
