namespace ModelBuild.Compression.Packing;

/// <summary>A growing byte buffer with the container's field encodings (bytes, unsigned LEB128 varints).</summary>
internal sealed class ContainerBuffer
{
    private readonly MemoryStream _bytes = new();

    public long Length => _bytes.Length;

    public ContainerBuffer Byte(byte value)
    {
        _bytes.WriteByte(value);
        return this;
    }

    public ContainerBuffer Bytes(ReadOnlySpan<byte> values)
    {
        _bytes.Write(values);
        return this;
    }

    public ContainerBuffer Varint(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var rest = (ulong)value;
        while (rest >= 0x80)
        {
            _bytes.WriteByte((byte)(rest | 0x80));
            rest >>= 7;
        }
        _bytes.WriteByte((byte)rest);
        return this;
    }

    public static int VarintLength(long value)
    {
        var length = 1;
        for (var rest = (ulong)value; rest >= 0x80; rest >>= 7) length++;
        return length;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
