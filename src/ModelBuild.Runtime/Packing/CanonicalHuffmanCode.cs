namespace ModelBuild.Runtime.Packing;

/// <summary>
/// A canonical Huffman code over byte symbols, given by each symbol's code length alone (0 = unused): codes are
/// assigned in order of (length, symbol), each the previous plus one, shifted left when the length grows (as
/// DEFLATE's, RFC 1951 3.2.2). The writer and the decoder both derive the codes from the lengths, so only the
/// lengths are stored. Public for the writer in ModelBuild.Compression (see <see cref="ModelContainerFormat"/>).
/// </summary>
public static class CanonicalHuffmanCode
{
    /// <summary>Each used symbol's code (the low <c>lengths[s]</c> bits), 0 for unused symbols.</summary>
    public static uint[] Codes(ReadOnlySpan<byte> lengths)
    {
        var codes = new uint[lengths.Length];
        uint code = 0;
        var previousLength = 0;
        foreach (var symbol in InCodeOrder(lengths))
        {
            var length = lengths[symbol];
            if (previousLength != 0) code++;
            code <<= length - previousLength;
            previousLength = length;
            codes[symbol] = code;
        }
        return codes;
    }

    /// <summary>
    /// Whether the lengths make a complete prefix code: the Kraft sum of 2^-length over the used symbols is exactly 1.
    /// A complete code decodes every bit string, so a damaged stream can only end early, never hold an invalid code.
    /// </summary>
    public static bool IsComplete(ReadOnlySpan<byte> lengths, int maxLength)
    {
        long sum = 0;
        foreach (var length in lengths)
        {
            if (length != 0) sum += 1L << (maxLength - length);
        }
        return sum == 1L << maxLength;
    }

    private static List<int> InCodeOrder(ReadOnlySpan<byte> lengths)
    {
        var symbols = new List<int>();
        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            if (lengths[symbol] != 0) symbols.Add(symbol);
        }
        var copy = lengths.ToArray();
        symbols.Sort((a, b) => copy[a] != copy[b] ? copy[a].CompareTo(copy[b]) : a.CompareTo(b));
        return symbols;
    }
}
