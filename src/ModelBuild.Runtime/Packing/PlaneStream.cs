namespace ModelBuild.Runtime.Packing;

/// <summary>
/// One stream of a tensor payload (one byte plane): read and checked from its header, then decoded a piece at a
/// time, so the planes of a tensor can be interleaved into its bytes without a buffer per plane. A Huffman stream is
/// decoded through a 2^9-entry table for short codes and, for longer ones, bit by bit through the counts of each code
/// length (as zlib's puff.c), so no table of 2^15 entries is built per stream. One instance is reused for every
/// stream of a container: decoding allocates nothing per stream.
/// </summary>
internal sealed class PlaneStream
{
    private readonly byte[] _lengths = new byte[256];
    private readonly short[] _countOfLength = new short[ModelContainerFormat.MaxCodeLength + 1];
    private readonly byte[] _symbolsInCodeOrder = new byte[256];
    // Codes of up to FastBits bits are found by one lookup on the next FastBits bits: entry = symbol | length << 8,
    // 0 where a longer code starts. Longer codes (rare: they are the rare symbols) are decoded bit by bit.
    private const int FastBits = 9;
    private readonly ushort[] _fast = new ushort[1 << FastBits];
    private readonly RansStream _rans = new();
    // The next bits of a Huffman stream, MSB first, aligned to bit 63; zero bits stand in past the stream's end.
    private ulong _buffer;
    private int _buffered;
    private int _nextByte;
    private byte _mode;
    private byte _constant;
    private int _dataOffset;
    private int _dataLength;
    private long _symbols;
    private long _decoded;
    private long _bitPosition;

    /// <summary>
    /// Reads the stream that follows in <paramref name="reader"/> and checks that it can decode to
    /// <paramref name="symbols"/> bytes; rANS streams exist from format <paramref name="version"/> 2.
    /// </summary>
    public void Read(ref ContainerReader reader, long symbols, byte version)
    {
        _symbols = symbols;
        _decoded = 0;
        _bitPosition = 0;
        _buffer = 0;
        _buffered = 0;
        _nextByte = 0;
        var modeOffset = reader.Position;
        _mode = reader.ReadByte("a stream's mode");
        switch (_mode)
        {
            case ModelContainerFormat.StoredStream:
                _dataOffset = reader.Position;
                _dataLength = reader.ReadBytes(symbols, "a stored stream").Length;
                break;
            case ModelContainerFormat.ConstantStream:
                _constant = reader.ReadByte("a constant stream's byte");
                break;
            case ModelContainerFormat.HuffmanStream:
                var (shortest, longest) = ReadCodeLengths(ref reader);
                var byteCount = reader.ReadVarint("a Huffman stream's length", reader.Remaining);
                _dataOffset = reader.Position;
                _dataLength = reader.ReadBytes(byteCount, "a Huffman stream").Length;
                // Each symbol takes shortest..longest bits and the stream takes exactly its bytes, so the byte count
                // bounds the symbol count both ways: a declared length the bytes cannot hold is refused here,
                // before anything is decoded or allocated for it.
                if (symbols * shortest > 8L * byteCount)
                    throw new ModelContainerException(_dataOffset, $"a Huffman stream of {byteCount} bytes cannot hold {symbols} symbols: its shortest code has {shortest} bits, so at most {8L * byteCount / shortest} fit");
                if (symbols * longest < 8L * byteCount - 7)
                    throw new ModelContainerException(_dataOffset, $"a Huffman stream of {symbols} symbols of at most {longest} bits takes at most {(symbols * longest + 7) / 8} bytes, but {byteCount} were recorded");
                break;
            case ModelContainerFormat.RansStream when version >= 2:
                _rans.Read(ref reader, symbols);
                break;
            default:
                throw new ModelContainerException(modeOffset, $"stream mode {_mode} is unknown in a version {version} container; expected {ModelContainerFormat.StoredStream} (stored), {ModelContainerFormat.ConstantStream} (constant), {ModelContainerFormat.HuffmanStream} (Huffman){(version >= 2 ? $" or {ModelContainerFormat.RansStream} (rANS)" : "")}");
        }
    }

    /// <summary>Decodes the next <c>output.Length / stride</c> symbols into every <paramref name="stride"/>-th byte of <paramref name="output"/> from <paramref name="first"/>.</summary>
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output, int first, int stride)
    {
        var count = output.Length / stride;
        switch (_mode)
        {
            case ModelContainerFormat.StoredStream:
                var stored = resource.Slice(_dataOffset + (int)_decoded, count);
                if (stride == 1) stored.CopyTo(output);
                else for (var i = 0; i < count; i++) output[first + i * stride] = stored[i];
                break;
            case ModelContainerFormat.ConstantStream:
                if (stride == 1) output.Fill(_constant);
                else for (var i = 0; i < count; i++) output[first + i * stride] = _constant;
                break;
            case ModelContainerFormat.RansStream:
                _rans.DecodeNext(resource, output, first, stride, count);
                break;
            default:
                var bits = resource.Slice(_dataOffset, _dataLength);
                for (var i = 0; i < count; i++)
                {
                    output[first + i * stride] = NextSymbol(bits);
                    if (_bitPosition > 8L * bits.Length)
                        throw new ModelContainerException(_dataOffset + bits.Length, $"a Huffman stream of {bits.Length} bytes ends after {_decoded + i} of {_symbols} symbols");
                }
                break;
        }
        _decoded += count;
    }

    /// <summary>After the last symbol: a Huffman stream must have used exactly its bytes and end in zero bits, a rANS stream its bytes and back in its start state.</summary>
    public void Finish(ReadOnlySpan<byte> resource)
    {
        if (_mode == ModelContainerFormat.RansStream) _rans.Finish();
        if (_mode != ModelContainerFormat.HuffmanStream) return;
        var usedBytes = (_bitPosition + 7) / 8;
        if (usedBytes != _dataLength)
            throw new ModelContainerException(_dataOffset, $"a Huffman stream of {_symbols} symbols takes {usedBytes} bytes, but {_dataLength} were recorded");
        var padding = (int)(8L * _dataLength - _bitPosition);
        if (padding > 0 && (resource[_dataOffset + _dataLength - 1] & ((1 << padding) - 1)) != 0)
            throw new ModelContainerException(_dataOffset + _dataLength - 1, "the padding bits after a Huffman stream are not zero");
    }

    private byte NextSymbol(ReadOnlySpan<byte> bits)
    {
        while (_buffered <= 56)
        {
            _buffer |= (ulong)(_nextByte < bits.Length ? bits[_nextByte] : 0) << (56 - _buffered);
            _nextByte++;
            _buffered += 8;
        }
        var entry = _fast[(int)(_buffer >> (64 - FastBits))];
        if (entry != 0) return Consume(entry >> 8, (byte)entry);
        // Canonical decoding, MSB first: the code read so far is compared with the first code of each length.
        int code = 0, first = 0, index = 0;
        for (var length = 1; length <= ModelContainerFormat.MaxCodeLength; length++)
        {
            code |= (int)(_buffer >> (64 - length)) & 1;
            int count = _countOfLength[length];
            if (code - first < count) return Consume(length, _symbolsInCodeOrder[index + code - first]);
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        // A complete code (checked when the table was read) always ends within the longest length.
        throw new ModelContainerException(_dataOffset, "a Huffman code longer than its table allows");
    }

    private byte Consume(int length, byte symbol)
    {
        _buffer <<= length;
        _buffered -= length;
        _bitPosition += length;
        return symbol;
    }

    // Entries for every code of up to FastBits bits, codes assigned as CanonicalHuffmanCode does.
    private void FillFastTable()
    {
        Array.Clear(_fast);
        int code = 0, index = 0;
        for (var length = 1; length <= FastBits; length++)
        {
            for (var k = 0; k < _countOfLength[length]; k++, code++, index++)
            {
                var start = code << (FastBits - length);
                _fast.AsSpan(start, 1 << (FastBits - length)).Fill((ushort)(_symbolsInCodeOrder[index] | length << 8));
            }
            code <<= 1;
        }
    }

    // A bitmap of the symbols used, then a 4-bit length for each (low nibble first), in symbol order.
    private (int Shortest, int Longest) ReadCodeLengths(ref ContainerReader reader)
    {
        var tableOffset = reader.Position;
        var bitmap = reader.ReadBytes(ModelContainerFormat.SymbolBitmapLength, "a Huffman code table");
        var used = 0;
        foreach (var b in bitmap) used += System.Numerics.BitOperations.PopCount(b);
        if (used < 2)
            throw new ModelContainerException(tableOffset, $"a Huffman code table names {used} symbols; expected at least 2");
        var nibbles = reader.ReadBytes((used + 1) / 2, "a Huffman code table's lengths");
        Array.Clear(_lengths);
        Array.Clear(_countOfLength);
        int shortest = ModelContainerFormat.MaxCodeLength, longest = 1, i = 0;
        for (var symbol = 0; symbol < 256; symbol++)
        {
            if ((bitmap[symbol >> 3] & (1 << (symbol & 7))) == 0) continue;
            var length = (byte)((nibbles[i >> 1] >> ((i & 1) * 4)) & 0x0F);
            i++;
            if (length == 0)
                throw new ModelContainerException(tableOffset, $"symbol {symbol} is in a Huffman code table with length 0; expected 1 to {ModelContainerFormat.MaxCodeLength}");
            _lengths[symbol] = length;
            _countOfLength[length]++;
            shortest = Math.Min(shortest, length);
            longest = Math.Max(longest, length);
        }
        if (used % 2 == 1 && (nibbles[^1] & 0xF0) != 0)
            throw new ModelContainerException(tableOffset, "a Huffman code table's unused last nibble is not zero");
        if (!CanonicalHuffmanCode.IsComplete(_lengths, ModelContainerFormat.MaxCodeLength))
            throw new ModelContainerException(tableOffset, "a Huffman code table's lengths do not form a complete prefix code (Kraft sum is not 1)");
        var next = 0;
        for (var length = 1; length <= ModelContainerFormat.MaxCodeLength; length++)
        {
            for (var symbol = 0; symbol < 256; symbol++)
            {
                if (_lengths[symbol] == length) _symbolsInCodeOrder[next++] = (byte)symbol;
            }
        }
        FillFastTable();
        return (shortest, longest);
    }
}
