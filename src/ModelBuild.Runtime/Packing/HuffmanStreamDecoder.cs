namespace ModelBuild.Runtime.Packing;

/// <summary>
/// Decodes one Huffman-coded stream of the container: a table lookup on the next <c>maxLength</c> bits (MSB first)
/// gives each symbol and its length, so decoding is one lookup per byte.
/// </summary>
internal static class HuffmanStreamDecoder
{
    /// <param name="lengths">256 code lengths (0 = unused), already checked to form a complete code.</param>
    /// <param name="bits">The coded bits, MSB first, the last byte padded with zero bits.</param>
    /// <param name="output">Receives exactly its length in symbols.</param>
    /// <param name="bitsOffset">The offset of <paramref name="bits"/> in the resource, for messages.</param>
    public static void Decode(ReadOnlySpan<byte> lengths, ReadOnlySpan<byte> bits, Span<byte> output, long bitsOffset)
    {
        var maxLength = 0;
        foreach (var length in lengths) maxLength = Math.Max(maxLength, length);
        var table = LookupTable(lengths, maxLength);

        ulong buffer = 0;
        var buffered = 0;
        var next = 0;
        long consumed = 0;
        var available = (long)bits.Length * 8;
        var mask = (1u << maxLength) - 1;
        for (var i = 0; i < output.Length; i++)
        {
            while (buffered < maxLength)
            {
                // Past the end, zero bits stand in; the count of bits consumed below tells a stream that ran short.
                buffer = (buffer << 8) | (next < bits.Length ? bits[next] : 0u);
                next++;
                buffered += 8;
            }
            var entry = table[(int)(buffer >> (buffered - maxLength)) & mask];
            var length = entry >> 8;
            buffered -= length;
            consumed += length;
            if (consumed > available)
                throw new ModelContainerException(bitsOffset + bits.Length,
                    $"a Huffman stream of {bits.Length} bytes ends after {i} of {output.Length} symbols");
            output[i] = (byte)entry;
        }
        if ((consumed + 7) / 8 != bits.Length)
            throw new ModelContainerException(bitsOffset,
                $"a Huffman stream of {output.Length} symbols takes {(consumed + 7) / 8} bytes, but {bits.Length} were recorded");
        var padding = (int)(available - consumed);
        if (padding > 0 && (bits[^1] & ((1 << padding) - 1)) != 0)
            throw new ModelContainerException(bitsOffset + bits.Length - 1, "the padding bits after a Huffman stream are not zero");
    }

    // Entry = symbol | length << 8, for every bit pattern of maxLength bits that starts with the symbol's code.
    private static ushort[] LookupTable(ReadOnlySpan<byte> lengths, int maxLength)
    {
        var codes = CanonicalHuffmanCode.Codes(lengths);
        var table = new ushort[1 << maxLength];
        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            var length = lengths[symbol];
            if (length == 0) continue;
            var first = (int)codes[symbol] << (maxLength - length);
            table.AsSpan(first, 1 << (maxLength - length)).Fill((ushort)(symbol | length << 8));
        }
        return table;
    }
}
