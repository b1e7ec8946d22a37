namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// How many of each layer's weights <c>prune:S</c> zeroes, exactly <c>round(S x all)</c> in total (uniform: per layer):
/// <c>uniform</c> the same fraction everywhere; <c>global</c> one magnitude threshold over all layers;
/// <c>sensitivity</c> from each layer's measured cost: its relative output error on the calibration data after
/// pruning and repair at <see cref="Levels"/>, then greedily the cheapest error per zeroed weight until S is reached.
/// First and last layers are measured like the rest, not spared by rule.
/// </summary>
internal static class SparsityAllocation
{
    public static readonly double[] Levels = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99];

    public static long[] Uniform(IReadOnlyList<long> sizes, double sparsity) =>
        sizes.Select(size => (long)Math.Round(size * sparsity, MidpointRounding.ToEven)).ToArray();

    public static long[] Global(IReadOnlyList<double[]> matrices, double sparsity)
    {
        var all = matrices.SelectMany((m, layer) => m.Select((value, index) => (Magnitude: Math.Abs(value), Layer: layer, Index: index)));
        var target = Target(matrices.Select(m => (long)m.Length).ToList(), sparsity);
        var counts = new long[matrices.Count];
        foreach (var weight in all.OrderBy(w => w.Magnitude).ThenBy(w => w.Layer).ThenBy(w => w.Index).Take(checked((int)target)))
            counts[weight.Layer]++;
        return counts;
    }

    /// <summary>Counts for <paramref name="sizes"/>, given per layer the relative output error at each of <see cref="Levels"/> (<paramref name="errors"/>).</summary>
    public static long[] BySensitivity(IReadOnlyList<long> sizes, IReadOnlyList<double[]> errors, double sparsity)
    {
        var target = Target(sizes, sparsity);
        var level = new int[sizes.Count];
        var counts = new long[sizes.Count];
        long total = 0;
        while (total < target)
        {
            var best = -1;
            var bestCost = double.PositiveInfinity;
            for (var l = 0; l < sizes.Count; l++)
            {
                if (level[l] + 1 >= Levels.Length) continue;
                var added = Count(sizes[l], level[l] + 1) - counts[l];
                if (added <= 0) continue;
                var cost = Math.Max(0, errors[l][level[l] + 1] - errors[l][level[l]]) / added;
                if (cost < bestCost) (best, bestCost) = (l, cost);
            }
            if (best < 0) break;
            level[best]++;
            var next = Count(sizes[best], level[best]);
            // The last step takes only what is still due, so the total is exact.
            var take = Math.Min(next - counts[best], target - total);
            counts[best] += take;
            total += take;
        }
        return counts;
    }

    private static long Count(long size, int level) => (long)Math.Round(size * Levels[level], MidpointRounding.ToEven);

    private static long Target(IReadOnlyList<long> sizes, double sparsity) => (long)Math.Round(sizes.Sum() * sparsity, MidpointRounding.ToEven);
}
