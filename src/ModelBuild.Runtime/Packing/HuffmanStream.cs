using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The state of one canonical Huffman stream: its code table, read and checked (a complete code, so any bit string
/// decodes), and its bits, decoded a block of symbols at a time. Codes of up to <see cref="FastBits"/> bits (nearly
/// every symbol of a weight plane) are found by one lookup in a table built once per stream; longer ones bit by bit
/// through the counts of each code length (as zlib's puff.c); both tables are built on the first symbol decoded, not
/// in the structure pass. Each refill loads 8 bytes at once and decodes as many
/// symbols as the 57 bits it guarantees hold; running past the stream's end is checked once per block (zero bits
/// stand in past the end, so nothing is read outside the stream). Fixed-size arrays only, reused for every stream.
/// </summary>
internal sealed class HuffmanStream
{
    private const int FastBits = 11;
    // Bits a refill guarantees: 8 bytes loaded at a bit offset of 0 to 7.
    private const int RefillBits = 57;
    private readonly byte[] _lengths = new byte[256];
    private readonly short[] _countOfLength = new short[ModelContainerFormat.MaxCodeLength + 1];
    private readonly byte[] _symbolsInCodeOrder = new byte[256];
    // Entry for the next FastBits bits: symbol | length << 8, or 0 where a longer code starts.
    private readonly ushort[] _fast = new ushort[1 << FastBits];
    private int _offset;
    private int _length;
    private long _symbols;
    private long _bitPosition;
    private bool _tablesBuilt;

    /// <summary>Reads the table and the byte count, and checks that the bytes can hold exactly <paramref name="symbols"/> symbols.</summary>
    public void Read(ref ContainerReader reader, long symbols)
    {
        _symbols = symbols;
        _bitPosition = 0;
        var (shortest, longest) = ReadCodeLengths(ref reader);
        var byteCount = reader.ReadVarint("a Huffman stream's length", reader.Remaining);
        _offset = reader.Position;
        _length = reader.ReadBytes(byteCount, "a Huffman stream").Length;
        // Each symbol takes shortest..longest bits and the stream takes exactly its bytes, so the byte count
        // bounds the symbol count both ways: a declared length the bytes cannot hold is refused here,
        // before anything is decoded or allocated for it.
        if (symbols * shortest > 8L * byteCount)
            throw new ModelContainerException(_offset, $"a Huffman stream of {byteCount} bytes cannot hold {symbols} symbols: its shortest code has {shortest} bits, so at most {8L * byteCount / shortest} fit");
        if (symbols * longest < 8L * byteCount - 7)
            throw new ModelContainerException(_offset, $"a Huffman stream of {symbols} symbols of at most {longest} bits takes at most {(symbols * longest + 7) / 8} bytes, but {byteCount} were recorded");
    }

    /// <summary>Decodes the next <c>output.Length</c> symbols into <paramref name="output"/>.</summary>
    // Fully optimized at once: a model is decoded once per process, before tiered compilation would get to this loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output)
    {
        if (!_tablesBuilt) BuildTables();
        var bits = resource.Slice(_offset, _length);
        ref var start = ref MemoryMarshal.GetReference(bits);
        ref var into = ref MemoryMarshal.GetReference(output);
        ref var fast = ref MemoryMarshal.GetArrayDataReference(_fast);
        var bitPosition = _bitPosition;
        // Up to here a refill's 8 bytes lie within the stream.
        var wholeWordsEnd = 8L * (bits.Length - 8);
        // Writes through an unchecked reference: at stays below output.Length, counted down by left.
        nint at = 0;
        var left = output.Length;
        while (left > 0)
        {
            ulong word;
            if (bitPosition <= wholeWordsEnd)
                word = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, (nint)(bitPosition >> 3)))) << (int)(bitPosition & 7);
            else
                word = TailWord(bits, bitPosition);
            var used = 0;
            // Another symbol fits while the longest code does.
            do
            {
                int entry = Unsafe.Add(ref fast, (nint)(word >> (64 - FastBits)));
                int length;
                if (entry != 0)
                {
                    length = entry >> 8;
                    Unsafe.Add(ref into, at) = (byte)entry;
                }
                else
                {
                    (length, var symbol) = LongCode(word);
                    Unsafe.Add(ref into, at) = symbol;
                }
                word <<= length;
                used += length;
                at++;
                left--;
            }
            while (used <= RefillBits - ModelContainerFormat.MaxCodeLength && left > 0);
            bitPosition += used;
        }
        if (bitPosition > 8L * bits.Length)
            throw new ModelContainerException(_offset + bits.Length, $"a Huffman stream of {bits.Length} bytes ends before its {_symbols} symbols do");
        _bitPosition = bitPosition;
    }

    /// <summary>After the last symbol: the stream used exactly its bytes and ends in zero bits.</summary>
    public void Finish(ReadOnlySpan<byte> resource)
    {
        var usedBytes = (_bitPosition + 7) / 8;
        if (usedBytes != _length)
            throw new ModelContainerException(_offset, $"a Huffman stream of {_symbols} symbols takes {usedBytes} bytes, but {_length} were recorded");
        var padding = (int)(8L * _length - _bitPosition);
        if (padding > 0 && (resource[_offset + _length - 1] & ((1 << padding) - 1)) != 0)
            throw new ModelContainerException(_offset + _length - 1, "the padding bits after a Huffman stream are not zero");
    }

    // The last bytes of the stream, MSB first from bitPosition, zero bits past the end.
    private static ulong TailWord(ReadOnlySpan<byte> bits, long bitPosition)
    {
        ulong word = 0;
        var from = bitPosition >> 3;
        for (var k = 0; k < 8; k++)
        {
            var index = from + k;
            word = word << 8 | (index < bits.Length ? bits[(int)index] : 0u);
        }
        return word << (int)(bitPosition & 7);
    }

    // Canonical decoding, MSB first: the code read so far is compared with the first code of each length. Fully
    // optimized at once, as DecodeNext: near-uniform planes call it for every code over 11 bits, and at tier 0 it made
    // a process's first decodes several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Length, byte Symbol) LongCode(ulong word)
    {
        int code = 0, first = 0, index = 0;
        for (var length = 1; length <= ModelContainerFormat.MaxCodeLength; length++)
        {
            code |= (int)(word >> (64 - length)) & 1;
            int count = _countOfLength[length];
            if (code - first < count) return (length, _symbolsInCodeOrder[index + code - first]);
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        // A complete code (checked when the table was read) always ends within the longest length.
        throw new ModelContainerException(_offset, "a Huffman code longer than its table allows");
    }

    // From the lengths checked in ReadCodeLengths (a complete code, so the fast entries fill the table exactly):
    // the symbols in code order (by length, then symbol: a counting sort), then the fast table.
    private void BuildTables()
    {
        Span<int> nextOfLength = stackalloc int[ModelContainerFormat.MaxCodeLength + 1];
        for (int length = 1, index = 0; length <= ModelContainerFormat.MaxCodeLength; length++)
        {
            nextOfLength[length] = index;
            index += _countOfLength[length];
        }
        for (var symbol = 0; symbol < 256; symbol++)
        {
            if (_lengths[symbol] != 0) _symbolsInCodeOrder[nextOfLength[_lengths[symbol]]++] = (byte)symbol;
        }
        FillFastTable();
        _tablesBuilt = true;
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
        // The used symbols in order, from the bitmap's set bits.
        for (var word = 0; word < ModelContainerFormat.SymbolBitmapLength / 8; word++)
        {
            for (var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bitmap.Slice(8 * word, 8)); bits != 0; bits &= bits - 1)
            {
                var symbol = 64 * word + System.Numerics.BitOperations.TrailingZeroCount(bits);
                var length = (byte)((nibbles[i >> 1] >> ((i & 1) * 4)) & 0x0F);
                i++;
                if (length == 0)
                    throw new ModelContainerException(tableOffset, $"symbol {symbol} is in a Huffman code table with length 0; expected 1 to {ModelContainerFormat.MaxCodeLength}");
                _lengths[symbol] = length;
                _countOfLength[length]++;
                shortest = Math.Min(shortest, length);
                longest = Math.Max(longest, length);
            }
        }
        if (used % 2 == 1 && (nibbles[^1] & 0xF0) != 0)
            throw new ModelContainerException(tableOffset, "a Huffman code table's unused last nibble is not zero");
        // Complete: the Kraft sum of 2^-length over the used symbols is exactly 1, so any bit string decodes and a
        // damaged stream can only end early, never hold an invalid code.
        long kraft = 0;
        for (var length = 1; length <= ModelContainerFormat.MaxCodeLength; length++)
            kraft += (long)_countOfLength[length] << (ModelContainerFormat.MaxCodeLength - length);
        if (kraft != 1L << ModelContainerFormat.MaxCodeLength)
            throw new ModelContainerException(tableOffset, "a Huffman code table's lengths do not form a complete prefix code (Kraft sum is not 1)");
        _tablesBuilt = false;
        return (shortest, longest);
    }
}
