namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The working set the payloads of a container are decoded with, made once per <see cref="ModelContainer.Decode(ReadOnlySpan{byte})"/>
/// and decoding thread (<see cref="ParallelDecode"/>):
/// a stream decoder per byte plane plus one for a sparse payload's flags, and two piece-sized scratch buffers (flags
/// or indices, and non-zero values or a dense piece's planes before they are interleaved), made on first use.
/// </summary>
internal sealed class TensorDecoders
{
    private byte[]? _symbols;
    private byte[]? _values;

    public TensorDecoders()
    {
        Streams = new PlaneStream[TensorPayload.MaxPlanes + 1];
        for (var p = 0; p < Streams.Length; p++) Streams[p] = new PlaneStream();
    }

    public PlaneStream[] Streams { get; }

    /// <summary>A piece's flags or palette indices.</summary>
    public byte[] Symbols => _symbols ??= new byte[DecodedOutput.PieceLength];

    /// <summary>A sparse piece's non-zero values, or a dense piece's byte planes before they are interleaved.</summary>
    public byte[] Values => _values ??= new byte[DecodedOutput.PieceLength];
}
