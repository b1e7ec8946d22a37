namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The working set every payload of a container is decoded with, made once per <see cref="ModelContainer.Decode"/>:
/// a stream decoder per byte plane plus one for a sparse payload's flags, and three piece-sized scratch buffers (flags
/// or indices, non-zero values, and the planes before they are interleaved), made on first use.
/// </summary>
internal sealed class TensorDecoders
{
    private byte[]? _symbols;
    private byte[]? _values;
    private byte[]? _planes;

    public TensorDecoders()
    {
        Streams = new PlaneStream[TensorPayload.MaxPlanes + 1];
        for (var p = 0; p < Streams.Length; p++) Streams[p] = new PlaneStream();
    }

    public PlaneStream[] Streams { get; }

    /// <summary>A piece's flags or palette indices.</summary>
    public byte[] Symbols => _symbols ??= new byte[DecodedOutput.PieceLength];

    /// <summary>A piece's non-zero values.</summary>
    public byte[] Values => _values ??= new byte[DecodedOutput.PieceLength];

    /// <summary>A piece's byte planes, each decoded whole before they are interleaved.</summary>
    public byte[] Planes => _planes ??= new byte[DecodedOutput.PieceLength];
}
