namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// Zeroes exactly a given number of one layer's weights: SparseGPT (mask per column block by <c>w^2 / U[i,i]^2</c>,
/// remaining weights repaired by <see cref="ObsSweep"/>) when the layer has statistics and repair is asked, else
/// the smallest magnitudes (ties: the lower index).
/// </summary>
internal static class LayerPruner
{
    /// <summary>
    /// A pruned copy of <paramref name="matrix"/> with <paramref name="zeros"/> zeros, and the sweep's loss (the
    /// increase of <c>||(W - W') X||^2</c> under the damped statistics; NaN for magnitude pruning, which does not measure it).
    /// </summary>
    public static (double[] Pruned, double Loss) Prune(LinearLayer layer, double[] matrix, LayerStatistics? statistics, IReadOnlyList<double[]>? factors, long zeros)
    {
        var pruned = (double[])matrix.Clone();
        if (statistics is null || factors is null)
        {
            var order = Enumerable.Range(0, pruned.Length).OrderBy(i => Math.Abs(pruned[i])).ThenBy(i => i).Take(checked((int)zeros));
            foreach (var i in order) pruned[i] = 0;
            return (pruned, double.NaN);
        }
        var n = layer.Columns;
        var blocks = (n + ObsSweep.BlockColumns - 1) / ObsSweep.BlockColumns;
        var total = (long)layer.Rows * n;
        long through = 0, assigned = 0;
        double loss = 0;
        for (var g = 0; g < layer.Groups; g++)
        {
            // Each block gets its share of the zeros, rounded cumulatively so the layer has exactly `zeros`.
            var counts = new int[blocks];
            for (var b = 0; b < blocks; b++)
            {
                through += (long)layer.RowsPerGroup * Math.Min(ObsSweep.BlockColumns, n - (b * ObsSweep.BlockColumns));
                var due = (long)Math.Round((double)zeros * through / total, MidpointRounding.ToEven);
                counts[b] = checked((int)(due - assigned));
                assigned = due;
            }
            loss += ObsSweep.Prune(pruned, g * layer.RowsPerGroup, layer.RowsPerGroup, n, factors[g], counts);
        }
        return (pruned, loss);
    }

    /// <summary>The inverse-Hessian factor of each group.</summary>
    public static IReadOnlyList<double[]> Factors(LayerStatistics statistics) =>
        statistics.Hessians.Select(h => InverseHessianFactor.Compute(h, statistics.Layer.Columns)).ToList();
}
