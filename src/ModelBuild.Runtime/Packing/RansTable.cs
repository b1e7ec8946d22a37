namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The frequency table every rANS stream mode starts with (a bitmap of the symbols used, then a varint frequency per
/// used symbol in symbol order), read and checked (every frequency 1 to 2^14, the total exactly 2^14, so any state
/// decodes to some symbol), and the decoding tables made from it on the first symbol decoded, not in the structure
/// pass. One instance per <see cref="PlaneStream"/>, shared by its rANS decoders and reused for every stream.
/// </summary>
internal sealed class RansTable
{
    public const int Scale = 1 << ModelContainerFormat.RansScaleBits;

    // Slot -> symbol: one lookup per symbol. Three bytes more, so that a 4-byte gather at the last slot stays inside.
    private readonly byte[] _symbolOfSlot = new byte[Scale + 3];
    // Per symbol: frequency | start << 16, one more load per symbol.
    private readonly uint[] _range = new uint[256];
    private readonly int[] _frequency = new int[256];
    private bool _built;

    /// <summary>The symbol of each slot, built (<see cref="EnsureBuilt"/>) from the table last read; <see cref="Scale"/> + 3 bytes.</summary>
    public byte[] SymbolOfSlot => _symbolOfSlot;

    /// <summary>Per symbol its frequency in the low 16 bits and its first slot in the high 16.</summary>
    public uint[] Range => _range;

    public void Read(ref ContainerReader reader)
    {
        var tableOffset = reader.Position;
        var bitmap = reader.ReadBytes(ModelContainerFormat.SymbolBitmapLength, "a rANS frequency table");
        Array.Clear(_frequency);
        long total = 0;
        // The used symbols in order, from the bitmap's set bits (a table names a few dozen of the 256).
        for (var word = 0; word < ModelContainerFormat.SymbolBitmapLength / 8; word++)
        {
            for (var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bitmap.Slice(8 * word, 8)); bits != 0; bits &= bits - 1)
            {
                var symbol = 64 * word + System.Numerics.BitOperations.TrailingZeroCount(bits);
                var frequency = reader.ReadVarint("a rANS frequency", Scale);
                if (frequency == 0)
                    throw new ModelContainerException(tableOffset, $"symbol {symbol} is in a rANS frequency table with frequency 0; expected 1 to {Scale}");
                _frequency[symbol] = (int)frequency;
                total += frequency;
            }
        }
        if (total != Scale)
            throw new ModelContainerException(tableOffset, $"a rANS frequency table sums to {total}; expected exactly {Scale}");
        _built = false;
    }

    // From the frequencies checked in Read (summing to exactly 2^14, so every fill stays within the slots).
    public void EnsureBuilt()
    {
        if (_built) return;
        var start = 0;
        for (var symbol = 0; symbol < 256; symbol++)
        {
            _symbolOfSlot.AsSpan(start, _frequency[symbol]).Fill((byte)symbol);
            _range[symbol] = (uint)_frequency[symbol] | (uint)start << 16;
            start += _frequency[symbol];
        }
        _built = true;
    }
}
