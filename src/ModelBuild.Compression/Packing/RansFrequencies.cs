using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// A rANS frequency table from byte counts: every used symbol gets at least 1 of the 2^14 slots (2^12 for stream mode
/// 6) and the total is exactly that. Slots are first given in proportion to the counts, then the rounding error is
/// settled one slot at a time where it costs the fewest coded bits (count x the change in -log2 of the frequency).
/// </summary>
internal static class RansFrequencies
{
    public const int Scale = 1 << ModelContainerFormat.RansScaleBits;

    /// <param name="counts">How often each of the 256 symbols occurs; at least one must occur, at most 256 symbols.</param>
    /// <param name="scaleBits">The table's total is 2^scaleBits: 14, or 12 for stream mode 6.</param>
    public static int[] For(ReadOnlySpan<long> counts, int scaleBits = ModelContainerFormat.RansScaleBits)
    {
        var scale = 1 << scaleBits;
        long total = 0;
        foreach (var c in counts) total += c;
        if (total == 0) throw new ArgumentException("a rANS table needs at least one symbol", nameof(counts));
        var frequencies = new int[256];
        var sum = 0;
        for (var s = 0; s < 256; s++)
        {
            if (counts[s] == 0) continue;
            frequencies[s] = (int)Math.Clamp(Math.Round((double)counts[s] * scale / total), 1, scale);
            sum += frequencies[s];
        }
        while (sum != scale)
        {
            var step = sum > scale ? -1 : 1;
            int best = -1;
            var bestCost = double.MaxValue;
            for (var s = 0; s < 256; s++)
            {
                if (counts[s] == 0 || (step < 0 && frequencies[s] == 1)) continue;
                // Bits the change adds to the stream: count x log2(f / (f + step)).
                var cost = counts[s] * Math.Log2((double)frequencies[s] / (frequencies[s] + step));
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = s;
                }
            }
            frequencies[best] += step;
            sum += step;
        }
        return frequencies;
    }
}
