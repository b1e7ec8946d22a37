namespace ModelBuild.Runtime.Packing;

/// <summary>
/// Where one pass over a container puts the bytes it decodes: nowhere (the structure pass, which only checks
/// fields and bounds), into the checksum (<see cref="ModelChecksum"/>) through a small fixed buffer (the checksum pass of
/// a container whose declared length its size does not back), or into the model (the one decoding pass of every other
/// container, hashed whole afterwards, and the last pass after a checksum pass). Bytes are produced in pieces of at most
/// <see cref="PieceLength"/>.
/// </summary>
internal sealed class DecodedOutput : IDisposable
{
    public const int PieceLength = 16 * 1024;

    private readonly ModelChecksum? _hash;
    private readonly byte[]? _piece;
    private readonly byte[]? _model;
    private int _position;

    private DecodedOutput(ModelChecksum? hash, byte[]? piece, byte[]? model, int position = 0)
    {
        _hash = hash;
        _piece = piece;
        _model = model;
        _position = position;
    }

    public static DecodedOutput StructureOnly() => new(null, null, null);

    public static DecodedOutput Checksum(byte version) => new(new ModelChecksum(version), new byte[PieceLength], null);

    public static DecodedOutput Into(byte[] model) => new(null, null, model);

    /// <summary>Into <paramref name="model"/> from byte <paramref name="start"/> on: a parallel decode's tensor or graph part, at the place the structure pass found for it.</summary>
    public static DecodedOutput Into(byte[] model, long start) => new(null, null, model, checked((int)start));

    /// <summary>False in the structure pass: fields are read and checked, nothing is decoded.</summary>
    public bool Decodes => _piece is not null || _model is not null;

    /// <summary>The bytes produced so far.</summary>
    public long Produced => _position;

    /// <summary>Where the next <paramref name="count"/> bytes (at most <see cref="PieceLength"/>) are decoded to.</summary>
    public Span<byte> Next(int count) => _model is not null ? _model.AsSpan(_position, count) : _piece.AsSpan(0, count);

    /// <summary>The <paramref name="count"/> bytes given by <see cref="Next"/> are decoded.</summary>
    public void Advance(int count)
    {
        _hash?.Append(_piece.AsSpan(0, count));
        _position += count;
    }

    public bool ChecksumMatches(ReadOnlySpan<byte> expected) => _hash!.Matches(expected);

    public void Dispose() => _hash?.Dispose();
}
