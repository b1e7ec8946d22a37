namespace ModelBuild.Runtime.Packing;

/// <summary>Bits MSB first from a <see cref="ContainerReader"/>, a byte at a time (a smooth rANS table's levels: a few dozen bits).</summary>
internal struct TableBitReader
{
    private int _byte;
    private int _left;

    /// <summary>The unread bits of the current byte: a table's padding, which must be zero.</summary>
    public readonly int Padding => _byte & ((1 << _left) - 1);

    public int Read(ref ContainerReader reader, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            if (_left == 0)
            {
                _byte = reader.ReadByte("a smooth rANS table's levels");
                _left = 8;
            }
            _left--;
            value = value << 1 | (_byte >> _left) & 1;
        }
        return value;
    }
}
