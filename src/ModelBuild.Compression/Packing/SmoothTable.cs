using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// A smooth rANS table (stream modes 8 to 11, version 6; <see cref="SmoothFrequencyTable"/>) fitted to a stream's
/// byte counts: the run of symbols it covers, its bins' width and levels, the Exp-Golomb order that codes the levels'
/// differences in the fewest bits, and the frequencies the decoder makes from them.
/// </summary>
internal sealed class SmoothTable
{
    private SmoothTable(int first, int count, int binWidth, byte[] levels, int scaleBits)
    {
        First = first;
        Count = count;
        BinWidth = binWidth;
        Levels = levels;
        Frequencies = new int[256];
        SmoothFrequencyTable.Fill(first, count, binWidth, levels, scaleBits, Frequencies);
        (Order, Bits) = BestOrder(levels);
    }

    public int First { get; }

    public int Count { get; }

    public int BinWidth { get; }

    public byte[] Levels { get; }

    public int Order { get; }

    /// <summary>Bits of the coded level differences.</summary>
    public int Bits { get; }

    public int[] Frequencies { get; }

    /// <summary>The table's bytes after the mode byte: first symbol, count - 1, width and order, the levels' bits.</summary>
    public int Length => 3 + (Bits + 7) / 8;

    /// <summary>
    /// The smooth table that codes symbols with these <paramref name="counts"/> (at least two of them non-zero) in the
    /// fewest bytes, table and estimated coded bytes together (<paramref name="codedBytes"/>): for each bin width the
    /// levels of the bins' densities, then, for the best width, each level moved up or down while that pays.
    /// </summary>
    public static SmoothTable Fit(ReadOnlySpan<long> counts, int scaleBits, out double codedBytes)
    {
        var (first, count) = Run(counts);
        SmoothTable? best = null;
        var bestCost = double.MaxValue;
        for (var width = 1; width <= Math.Min(count, SmoothFrequencyTable.MaxBinWidth); width++)
        {
            var table = new SmoothTable(first, count, width, InitialLevels(counts, first, count, width), scaleBits);
            var cost = table.Length + CodedBytes(counts, table.Frequencies, scaleBits);
            if (cost < bestCost) (best, bestCost) = (table, cost);
        }
        // Local search on the levels: a few passes of +-1 per bin; bounded, so fitting stays cheap for many streams.
        var levels = best!.Levels;
        for (var pass = 0; pass < 3 && levels.Length <= 64; pass++)
        {
            var improved = false;
            for (var bin = 0; bin < levels.Length; bin++)
            {
                foreach (var step in new[] { 1, -1 })
                {
                    var moved = levels[bin] + step;
                    if (moved is < 0 or > SmoothFrequencyTable.MaxLevel) continue;
                    var candidateLevels = (byte[])levels.Clone();
                    candidateLevels[bin] = (byte)moved;
                    var candidate = new SmoothTable(first, count, best.BinWidth, candidateLevels, scaleBits);
                    var cost = candidate.Length + CodedBytes(counts, candidate.Frequencies, scaleBits);
                    if (cost >= bestCost) continue;
                    (best, bestCost, levels, improved) = (candidate, cost, candidateLevels, true);
                }
            }
            if (!improved) break;
        }
        codedBytes = bestCost - best.Length;
        return best;
    }

    /// <summary>Writes the table's fields after the mode byte (docs/internals.md, "Model container").</summary>
    public void Write(ContainerBuffer output)
    {
        output.Byte((byte)First).Byte((byte)(Count - 1)).Byte((byte)(BinWidth - 1 | Order << 5));
        var bits = new byte[(Bits + 7) / 8];
        var at = 0;
        var previous = 0;
        foreach (var level in Levels)
        {
            var shifted = ZigZag(level - previous) + (1 << Order);
            var length = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)shifted);
            // length - Order zero bits, then the shifted value in length + 1 bits (its leading 1 first).
            at += length - Order;
            for (var b = length; b >= 0; b--, at++)
            {
                if ((shifted >> b & 1) != 0) bits[at >> 3] |= (byte)(0x80 >> (at & 7));
            }
            previous = level;
        }
        output.Bytes(bits);
    }

    /// <summary>Bytes the symbols cost coded with <paramref name="frequencies"/>: sum of count x -log2(f / 2^scaleBits), over 8.</summary>
    public static double CodedBytes(ReadOnlySpan<long> counts, int[] frequencies, int scaleBits)
    {
        double bits = 0;
        for (var s = 0; s < 256; s++)
        {
            if (counts[s] > 0) bits += counts[s] * (scaleBits - Math.Log2(frequencies[s]));
        }
        return bits / 8;
    }

    // The shortest run of symbols (mod 256) holding every used one: it starts after the longest gap of unused ones.
    private static (int First, int Count) Run(ReadOnlySpan<long> counts)
    {
        var longestGap = 0;
        var first = 0;
        for (var start = 0; start < 256; start++)
        {
            if (counts[start] > 0 || counts[(start + 255) & 255] == 0) continue;
            var gap = 0;
            while (gap < 256 && counts[(start + gap) & 255] == 0) gap++;
            if (gap > longestGap) (longestGap, first) = (gap, (start + gap) & 255);
        }
        return (first, 256 - longestGap);
    }

    // Per bin the log2 of its density in quarter bits, the densest at MaxLevel; an empty bin at 0.
    private static byte[] InitialLevels(ReadOnlySpan<long> counts, int first, int count, int width)
    {
        var bins = SmoothFrequencyTable.BinCount(count, width);
        var raw = new double[bins];
        var highest = double.MinValue;
        for (var bin = 0; bin < bins; bin++)
        {
            long sum = 0;
            var length = Math.Min(width, count - bin * width);
            for (var i = bin * width; i < bin * width + length; i++) sum += counts[(first + i) & 255];
            raw[bin] = sum == 0 ? double.NaN : 4 * Math.Log2((double)sum / length);
            if (sum > 0) highest = Math.Max(highest, raw[bin]);
        }
        var levels = new byte[bins];
        for (var bin = 0; bin < bins; bin++)
            levels[bin] = double.IsNaN(raw[bin]) ? (byte)0 : (byte)Math.Clamp(Math.Round(raw[bin] - highest + SmoothFrequencyTable.MaxLevel), 0, SmoothFrequencyTable.MaxLevel);
        return levels;
    }

    private static (int Order, int Bits) BestOrder(byte[] levels)
    {
        var best = (Order: 0, Bits: int.MaxValue);
        for (var order = 0; order <= SmoothFrequencyTable.MaxOrder; order++)
        {
            var bits = 0;
            var previous = 0;
            foreach (var level in levels)
            {
                var shifted = ZigZag(level - previous) + (1 << order);
                bits += 2 * (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)shifted)) - order + 1;
                previous = level;
            }
            if (bits < best.Bits) best = (order, bits);
        }
        return best;
    }

    private static int ZigZag(int value) => value >= 0 ? 2 * value : -2 * value - 1;
}
