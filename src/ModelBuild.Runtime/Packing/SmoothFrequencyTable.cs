using System.Runtime.CompilerServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The frequencies of a smooth rANS table (stream modes 8 to 11, version 6; docs/internals.md, "Model container"):
/// a run of symbols <c>first, first + 1, ...</c> (mod 256) cut into bins of equal width, a level per bin (the log2 of
/// its density in quarter bits, 0 to <see cref="MaxLevel"/>), levels interpolated linearly between bin centres in
/// sixteenths of a bit, each symbol weighted 2^(level / 16), and the weights scaled to the table's total. A table of
/// a few bytes in place of a varint per symbol: quantized weights take a bell-shaped histogram that a per-stream table
/// describes at 1-2 bytes a symbol. Integer arithmetic only, so the writer and every decoder get the same table.
/// Public: the writer fits its levels with it.
/// </summary>
public static class SmoothFrequencyTable
{
    /// <summary>The highest level: 20 bits of density range, so a weight stays below 2^37 and their sum times 2^14 in 63 bits.</summary>
    public const int MaxLevel = 80;

    /// <summary>The widest bin: the width is stored in 5 bits.</summary>
    public const int MaxBinWidth = 32;

    /// <summary>The largest Exp-Golomb order of the level differences: stored in 3 bits.</summary>
    public const int MaxOrder = 7;

    // 2^16 x 2^(k/16), k = 0..15, rounded: a level in sixteenths of a bit is 2^(level >> 4) times one of these.
    private static readonly uint[] Fractions =
    [
        65536, 68438, 71468, 74632, 77936, 81386, 84990, 88752,
        92682, 96785, 101070, 105545, 110218, 115098, 120194, 125515,
    ];

    /// <summary>Bins of <paramref name="binWidth"/> symbols over a run of <paramref name="count"/> symbols.</summary>
    public static int BinCount(int count, int binWidth) => (count + binWidth - 1) / binWidth;

    /// <summary>
    /// Fills <paramref name="frequencies"/> (256 entries) from a table's fields: zero outside the run, at least 1 inside
    /// it, summing to exactly 2^<paramref name="scaleBits"/>.
    /// </summary>
    /// <param name="first">The run's first symbol.</param>
    /// <param name="count">Symbols in the run, 1 to 256.</param>
    /// <param name="binWidth">Symbols per bin, 1 to <see cref="MaxBinWidth"/>.</param>
    /// <param name="levels">One level (0 to <see cref="MaxLevel"/>) per bin, <see cref="BinCount"/> of them.</param>
    /// <param name="scaleBits">14, or 12 for the 2^12-slot table of stream mode 11.</param>
    /// <param name="frequencies">256 entries, written whole.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(int first, int count, int binWidth, ReadOnlySpan<byte> levels, int scaleBits, Span<int> frequencies)
    {
        if (count is < 1 or > 256 || binWidth is < 1 or > MaxBinWidth || levels.Length != BinCount(count, binWidth) || frequencies.Length != 256 || scaleBits is < 9 or > 14)
            throw new ArgumentException("the smooth table's fields are out of range");
        // Two passes over the weights (cheap to make again) instead of keeping 256 of them. No division per symbol: the
        // interpolation divides by the width through a 16-bit reciprocal, and the scaling multiplies each weight by
        // 2^64 x scale / total (under 2^62: every weight is at least 2^16 and the scale at most 2^14), rounded.
        var reciprocal = (65536 + binWidth - 1) / binWidth;
        ulong total = 0;
        for (var i = 0; i < count; i++) total += Weight(i, binWidth, reciprocal, levels);
        var multiplier = (ulong)(((UInt128)(ulong)(1 << scaleBits) << 64) / total);
        var scale = 1 << scaleBits;
        frequencies.Clear();
        long sum = 0;
        var largest = 0;
        for (var i = 0; i < count; i++)
        {
            var high = Math.BigMul(2 * Weight(i, binWidth, reciprocal, levels) + 1, multiplier, out _);
            var f = (int)Math.Max(1, high >> 1);
            frequencies[(first + i) & 255] = f;
            sum += f;
            if (f > frequencies[(first + largest) & 255]) largest = i;
        }
        // The rounding settled on the largest frequencies: a deficit goes to the largest; a surplus (from the floor of 1)
        // is taken from the largest down to 1, then the next largest (count <= 256 < the scale, so it ends).
        if (sum < scale) frequencies[(first + largest) & 255] += (int)(scale - sum);
        while (sum > scale)
        {
            var at = 0;
            for (var i = 1; i < count; i++)
            {
                if (frequencies[(first + i) & 255] > frequencies[(first + at) & 255]) at = i;
            }
            var symbol = (first + at) & 255;
            var take = (int)Math.Min(sum - scale, frequencies[symbol] - 1);
            frequencies[symbol] -= take;
            sum -= take;
        }
    }

    // 2^(level / 16) x 2^16 for the i-th symbol of the run: its bin's level blended with the neighbour's on its side,
    // in proportion to the distance from the two bin centres (in units of half a symbol, over twice the width).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Weight(int i, int binWidth, int reciprocal, ReadOnlySpan<byte> levels)
    {
        var bin = i * reciprocal >> 16; // i / binWidth exactly: the reciprocal errs by under 1/256 of a bin
        var twice = 2 * (i - bin * binWidth) + 1;
        int own = levels[bin];
        int blended;
        if (twice < binWidth)
        {
            var other = bin > 0 ? levels[bin - 1] : own;
            blended = own * (binWidth + twice) + other * (binWidth - twice);
        }
        else
        {
            var other = bin + 1 < levels.Length ? levels[bin + 1] : own;
            blended = own * (3 * binWidth - twice) + other * (twice - binWidth);
        }
        // blended / (2 x width) quarter bits = 2 x blended / width sixteenths, at most 16 x MaxLevel / 4 = 320 (the
        // reciprocal, 2^16 / width rounded up, adds under 1: 320 x 32 < 2^16).
        var sixteenths = 2 * blended * reciprocal >> 16;
        return (ulong)Fractions[sixteenths & 15] << (sixteenths >> 4);
    }
}
