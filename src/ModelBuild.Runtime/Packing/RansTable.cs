namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The frequency table every rANS stream mode starts with (a bitmap of the symbols used, then a varint frequency per
/// used symbol in symbol order; from version 6 a smooth table in its place, <see cref="ReadSmooth"/>), read and checked
/// (every frequency 1 to the scale, 2^14 or for stream modes 6 and 11 2^12, the total exactly the scale, so any state
/// decodes to some symbol), and the decoding tables (and a smooth table's frequencies) made from it on the first
/// symbol decoded, not in the structure pass. One instance per <see cref="PlaneStream"/>, shared by its rANS
/// decoders and reused for every stream; the 2^14 slot symbols and the 2^12 slot entries share one 16 KB array.
/// </summary>
internal sealed class RansTable
{
    public const int Scale = 1 << ModelContainerFormat.RansScaleBits;

    // 2^14 scale: slot -> symbol, one lookup per symbol, and three bytes more, so that a 4-byte gather at the last slot
    // stays inside. 2^12 scale: per slot symbol | (frequency - 1) << 8 | (slot - start) << 20, as uints in the same bytes.
    private readonly byte[] _slots = new byte[Scale + 3];
    // Per symbol: frequency | start << 16, one more load per symbol.
    private readonly uint[] _range = new uint[256];
    private readonly int[] _frequency = new int[256];
    // A smooth table's fields, checked when read; its frequencies are made with the decoding tables, on the first
    // symbol decoded, so the structure pass does not make them.
    private readonly byte[] _levels = new byte[256];
    private (int First, int Count, int BinWidth, int Bins)? _smooth;
    private bool _built;
    private int _scaleBits;

    /// <summary>
    /// Built (<see cref="EnsureBuilt"/>) from the table last read: for a 2^14 table the symbol of each slot, for a 2^12
    /// one each slot's entry as a uint (<see cref="WideEntries"/>); <see cref="Scale"/> + 3 bytes.
    /// </summary>
    public byte[] Slots => _slots;

    /// <summary>A 2^12 table's entries: symbol | (frequency - 1) &lt;&lt; 8 | (slot - start) &lt;&lt; 20.</summary>
    public Span<uint> WideEntries => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(_slots.AsSpan(0, Scale));

    /// <summary>Per symbol its frequency in the low 16 bits and its first slot in the high 16.</summary>
    public uint[] Range => _range;

    /// <summary>Reads and checks a table whose frequencies sum to 2^<paramref name="scaleBits"/> (14, or 12 for stream mode 6).</summary>
    public void Read(ref ContainerReader reader, int scaleBits = ModelContainerFormat.RansScaleBits)
    {
        var scale = 1 << scaleBits;
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
                var frequency = reader.ReadVarint("a rANS frequency", scale);
                if (frequency == 0)
                    throw new ModelContainerException(tableOffset, $"symbol {symbol} is in a rANS frequency table with frequency 0; expected 1 to {scale}");
                _frequency[symbol] = (int)frequency;
                total += frequency;
            }
        }
        if (total != scale)
            throw new ModelContainerException(tableOffset, $"a rANS frequency table sums to {total}; expected exactly {scale}");
        _scaleBits = scaleBits;
        _smooth = null;
        _built = false;
    }

    /// <summary>
    /// Reads and checks a smooth table (stream modes 8 to 11, version 6; <see cref="SmoothFrequencyTable"/>): the run's
    /// first symbol, its length - 1, a byte of bin width - 1 (low 5 bits) and Exp-Golomb order (high 3), then per bin the
    /// difference from the previous level (the first from 0), zigzag and Exp-Golomb coded, MSB first, padded with zero
    /// bits to a byte. Every level must be 0 to <see cref="SmoothFrequencyTable.MaxLevel"/>; the frequencies it makes
    /// always sum to the scale.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void ReadSmooth(ref ContainerReader reader, int scaleBits)
    {
        var first = reader.ReadByte("a smooth rANS table's first symbol");
        var count = reader.ReadByte("a smooth rANS table's symbol count") + 1;
        var shape = reader.ReadByte("a smooth rANS table's bin width and order");
        var binWidth = (shape & 31) + 1;
        var order = shape >> 5;
        var levels = _levels.AsSpan(0, SmoothFrequencyTable.BinCount(count, binWidth));
        var bits = new TableBitReader();
        var level = 0;
        for (var bin = 0; bin < levels.Length; bin++)
        {
            var at = reader.Position;
            // A difference is at most MaxLevel either way: zigzag at most 2 x 80, with the order's 2^7 under 2^9.
            var zeros = 0;
            while (bits.Read(ref reader, 1) == 0)
            {
                if (++zeros > 8)
                    throw new ModelContainerException(at, $"a smooth rANS table's level difference {bin} has more than 8 leading zero bits; expected a difference of at most {SmoothFrequencyTable.MaxLevel}");
            }
            var zigzag = ((1 << (zeros + order)) | bits.Read(ref reader, zeros + order)) - (1 << order);
            level += (zigzag & 1) == 0 ? zigzag >> 1 : -((zigzag + 1) >> 1);
            if (level is < 0 or > SmoothFrequencyTable.MaxLevel)
                throw new ModelContainerException(at, $"level {bin} of a smooth rANS table is {level}; expected 0 to {SmoothFrequencyTable.MaxLevel}");
            levels[bin] = (byte)level;
        }
        if (bits.Padding != 0)
            throw new ModelContainerException(reader.Position - 1, "a smooth rANS table's last byte is not padded with zero bits");
        _smooth = (first, count, binWidth, levels.Length);
        _scaleBits = scaleBits;
        _built = false;
    }

    // slots[start..start + count) = symbol, 8 bytes a store (the last one overlapping the one before), not a Span.Fill
    // call per symbol: a table of a hundred-odd symbols is built per stream, and short streams are many.
    private void FillSlots(int start, int count, byte symbol)
    {
        if (count < 8)
        {
            for (var slot = start; slot < start + count; slot++) _slots[slot] = symbol;
            return;
        }
        var pattern = symbol * 0x0101010101010101UL;
        ref var first = ref _slots[start];
        for (var offset = 0; offset < count - 8; offset += 8)
            System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref System.Runtime.CompilerServices.Unsafe.Add(ref first, offset), pattern);
        // count >= 8 and start + count <= the scale: the last store ends at the run's end, inside the array.
        System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref _slots[start + count - 8], pattern);
    }

    // From the frequencies checked in Read (summing to exactly the scale, so every fill stays within the slots). Once
    // per rANS stream: compiled optimized at once, as the decoding loops are.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void EnsureBuilt()
    {
        if (_built) return;
        if (_smooth is { } smooth)
            SmoothFrequencyTable.Fill(smooth.First, smooth.Count, smooth.BinWidth, _levels.AsSpan(0, smooth.Bins), _scaleBits, _frequency);
        var start = 0;
        var wide = _scaleBits == ModelContainerFormat.WideRansScaleBits;
        var entries = WideEntries;
        for (var symbol = 0; symbol < 256; symbol++)
        {
            var frequency = _frequency[symbol];
            if (wide)
            {
                for (var slot = start; slot < start + frequency; slot++)
                    entries[slot] = (uint)symbol | (uint)(frequency - 1) << 8 | (uint)(slot - start) << 20;
            }
            else
            {
                FillSlots(start, frequency, (byte)symbol);
                _range[symbol] = (uint)frequency | (uint)start << 16;
            }
            start += frequency;
        }
        _built = true;
    }
}
