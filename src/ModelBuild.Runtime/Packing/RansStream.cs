namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The state of one static rANS stream (container version 2): byte-wise renormalized 32-bit rANS (as ryg_rans) with a
/// per-stream frequency table summing to 2^<see cref="ModelContainerFormat.RansScaleBits"/>. Unlike a Huffman code it
/// spends less than a bit on a symbol of probability above one half, which is what the zero byte of a pruned tensor
/// has. The table is checked when read (every frequency at least 1, the total exactly 2^14), so any byte string decodes
/// to some symbols; the stream must end with the state back at <see cref="ModelContainerFormat.RansLowerBound"/>
/// having used exactly its bytes. Fixed-size arrays only, reused for every stream.
/// </summary>
internal sealed class RansStream
{
    private const int Scale = 1 << ModelContainerFormat.RansScaleBits;
    // Slot -> first symbol whose range may hold it, per 2^(ScaleBits - 8) slots; a short forward scan finds the symbol.
    private const int IndexBits = 8;
    private readonly byte[] _firstSymbolOfBucket = new byte[1 << IndexBits];
    private readonly int[] _start = new int[257];
    private readonly int[] _frequency = new int[256];
    private uint _state;
    private int _next;
    private int _offset;
    private int _length;

    /// <summary>Reads the table and the byte count, and checks that the bytes can hold <paramref name="symbols"/> symbols.</summary>
    public void Read(ref ContainerReader reader, long symbols)
    {
        var tableOffset = reader.Position;
        var bitmap = reader.ReadBytes(ModelContainerFormat.SymbolBitmapLength, "a rANS frequency table");
        Array.Clear(_frequency);
        long total = 0;
        for (var symbol = 0; symbol < 256; symbol++)
        {
            if ((bitmap[symbol >> 3] & (1 << (symbol & 7))) == 0) continue;
            var frequency = reader.ReadVarint("a rANS frequency", Scale);
            if (frequency == 0)
                throw new ModelContainerException(tableOffset, $"symbol {symbol} is in a rANS frequency table with frequency 0; expected 1 to {Scale}");
            _frequency[symbol] = (int)frequency;
            total += frequency;
        }
        if (total != Scale)
            throw new ModelContainerException(tableOffset, $"a rANS frequency table sums to {total}; expected exactly {Scale}");
        for (var symbol = 0; symbol < 256; symbol++) _start[symbol + 1] = _start[symbol] + _frequency[symbol];
        var bucket = 0;
        for (var symbol = 0; symbol < 256 && bucket < _firstSymbolOfBucket.Length; symbol++)
        {
            while (bucket < _firstSymbolOfBucket.Length && bucket << (ModelContainerFormat.RansScaleBits - IndexBits) < _start[symbol + 1])
                _firstSymbolOfBucket[bucket++] = (byte)symbol;
        }

        var byteCount = reader.ReadVarint("a rANS stream's length", reader.Remaining);
        _offset = reader.Position;
        _length = reader.ReadBytes(byteCount, "a rANS stream").Length;
        // The state takes 4 bytes; each symbol shrinks it by at most 2^14, so at most 2 bytes are read per symbol.
        if (byteCount < 4 || byteCount - 4 > 2 * symbols)
            throw new ModelContainerException(_offset, $"a rANS stream of {symbols} symbols takes 4 to {4 + 2 * symbols} bytes, but {byteCount} were recorded");
        var bytes = reader.Bytes.Slice(_offset, 4);
        _state = bytes[0] | (uint)bytes[1] << 8 | (uint)bytes[2] << 16 | (uint)bytes[3] << 24;
        _next = 4;
    }

    /// <summary>Decodes the next <paramref name="count"/> symbols into every <paramref name="stride"/>-th byte of <paramref name="output"/> from <paramref name="first"/>.</summary>
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output, int first, int stride, int count)
    {
        // Locals rather than fields in the loop: the JIT keeps them in registers.
        var state = _state;
        var next = _next;
        var bytes = resource.Slice(_offset, _length);
        var start = _start;
        var frequency = _frequency;
        var buckets = _firstSymbolOfBucket;
        for (int i = 0, at = first; i < count; i++, at += stride)
        {
            var slot = (int)(state & (Scale - 1));
            int symbol = buckets[slot >> (ModelContainerFormat.RansScaleBits - IndexBits)];
            while (start[symbol + 1] <= slot) symbol++;
            // No overflow: frequency <= 2^14 and state >> 14 < 2^18, so the product and the slot stay below 2^32.
            state = (uint)frequency[symbol] * (state >> ModelContainerFormat.RansScaleBits) + (uint)(slot - start[symbol]);
            while (state < ModelContainerFormat.RansLowerBound)
            {
                if ((uint)next >= (uint)bytes.Length)
                    throw new ModelContainerException(_offset + _length, $"a rANS stream of {_length} bytes ends before its symbols do");
                state = state << 8 | bytes[next++];
            }
            output[at] = (byte)symbol;
        }
        _state = state;
        _next = next;
    }

    /// <summary>After the last symbol: the state is back where the encoder started and every byte was used.</summary>
    public void Finish()
    {
        if (_next != _length)
            throw new ModelContainerException(_offset + _next, $"a rANS stream of {_length} bytes ends after {_next} of them");
        if (_state != ModelContainerFormat.RansLowerBound)
            throw new ModelContainerException(_offset, $"a rANS stream ends in state {_state}; expected {ModelContainerFormat.RansLowerBound}");
    }
}
