namespace ModelBuild.Runtime.Packing;

/// <summary>Reads the container's fields with every read bounds-checked: running off the end is a <see cref="ModelContainerException"/>, never an index error.</summary>
internal ref struct ContainerReader
{
    private readonly ReadOnlySpan<byte> _bytes;

    public ContainerReader(ReadOnlySpan<byte> bytes, int position = 0)
    {
        _bytes = bytes;
        Position = position;
    }

    /// <summary>The whole resource (stream decoders read their bits from it by offset).</summary>
    public readonly ReadOnlySpan<byte> Bytes => _bytes;

    public int Position { get; private set; }

    public readonly int Remaining => _bytes.Length - Position;

    public byte ReadByte(string what) => ReadBytes(1, what)[0];

    public ReadOnlySpan<byte> ReadBytes(long count, string what)
    {
        if (count < 0 || count > Remaining)
            throw new ModelContainerException(Position, $"expected {count} bytes of {what}, found {Remaining} before the end");
        var span = _bytes.Slice(Position, (int)count);
        Position += (int)count;
        return span;
    }

    /// <summary>An unsigned LEB128 number of at most 9 bytes (63 bits), no larger than <paramref name="max"/>.</summary>
    public long ReadVarint(string what, long max)
    {
        // One byte below 0x80 (most table entries and gaps): no loop.
        if (Position < _bytes.Length && _bytes[Position] < 0x80 && _bytes[Position] <= max) return _bytes[Position++];
        var start = Position;
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 56)
                throw new ModelContainerException(start, $"{what} is a number longer than 9 bytes");
            var b = ReadByte(what);
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        if (value > (ulong)max)
            throw new ModelContainerException(start, $"{what} is {value}, more than the {max} allowed");
        return (long)value;
    }
}
