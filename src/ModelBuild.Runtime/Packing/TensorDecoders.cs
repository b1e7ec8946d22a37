namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The working set the payloads of a container are decoded with, made once per <see cref="ModelContainer.Decode(ReadOnlySpan{byte})"/>
/// and decoding thread (<see cref="ParallelDecode"/>):
/// a stream decoder per byte plane plus one for a sparse payload's flags, and piece-sized scratch buffers (flags or indices; a
/// dense piece's planes or a sparse payload's value planes before they are interleaved; a sparse payload's bitmap and
/// its values decoded ahead), made on first use.
/// </summary>
internal sealed class TensorDecoders
{
    private byte[]? _symbols;
    private byte[]? _values;
    private byte[]? _bitmap;
    private byte[]? _sparseValues;

    public TensorDecoders()
    {
        Streams = new PlaneStream[TensorPayload.MaxPlanes + 1];
        for (var p = 0; p < Streams.Length; p++) Streams[p] = new PlaneStream();
    }

    public PlaneStream[] Streams { get; }

    /// <summary>A piece's flags or palette indices.</summary>
    public byte[] Symbols => _symbols ??= new byte[DecodedOutput.PieceLength];

    /// <summary>A dense piece's byte planes, or a run of a sparse payload's value planes, before they are interleaved.</summary>
    public byte[] Values => _values ??= new byte[DecodedOutput.PieceLength];

    /// <summary>A sparse payload's bitmap, decoded 4 KB at a time (<see cref="BitmapWindow"/>): the flags of 32,768 elements, eight pieces of floats.</summary>
    public byte[] Bitmap => _bitmap ??= new byte[DecodedOutput.PieceLength / 4];

    /// <summary>A sparse payload's non-zero values decoded ahead (<see cref="SparseValueWindow"/>): two pieces' bytes.</summary>
    public byte[] SparseValues => _sparseValues ??= new byte[2 * DecodedOutput.PieceLength];
}
