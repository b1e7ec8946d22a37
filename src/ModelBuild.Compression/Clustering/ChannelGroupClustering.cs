namespace ModelBuild.Compression.Clustering;

/// <summary>
/// Clusters a weight tensor's values per group of output channels: each group's nonzero values take at most k values
/// (k-means on the group's distinct values, each weighted by the summed cost of an error in its elements), its exact
/// zeros stay zero as a centroid of their own (a pruned weight stays pruned), so a group with zeros has k - 1 others.
/// On an integer grid the centroids are rounded to it: rounding a weighted mean of integers keeps it inside their
/// range, so a weight quantized to 7 bits stays within 7 bits. A value halfway between two centroids goes up or down
/// by the parity of its index: always down shifted ResNet-20's every channel sum and cost 27 points at 6 bits, not 0.3.
/// </summary>
internal static class ChannelGroupClustering
{
    /// <summary>
    /// The clustered values of <paramref name="values"/> (a tensor of shape <paramref name="dims"/>), grouped by
    /// <paramref name="channelsPerGroup"/> channels along <paramref name="axis"/> (0: the whole tensor is one group).
    /// <paramref name="costs"/> weighs each element's squared error (its scale squared for a quantized weight).
    /// </summary>
    public static double[] Cluster(double[] values, double[] costs, long[] dims, int axis, int channelsPerGroup, int k, bool onIntegerGrid)
    {
        var groups = GroupsOf(dims, axis, channelsPerGroup, values.Length);
        var clustered = new double[values.Length];
        foreach (var members in groups)
        {
            // Distinct nonzero values, ascending, with their summed costs.
            var nonzero = members.Where(i => values[i] != 0).OrderBy(i => values[i]).ToArray();
            var distinct = new List<double>();
            var weights = new List<double>();
            foreach (var i in nonzero)
            {
                if (distinct.Count > 0 && distinct[^1] == values[i]) weights[^1] += costs[i];
                else
                {
                    distinct.Add(values[i]);
                    weights.Add(costs[i]);
                }
            }
            // Elements that cost nothing (a zero scale) still need a centroid; a tiny weight keeps the mean defined.
            for (var j = 0; j < weights.Count; j++) weights[j] = Math.Max(weights[j], double.Epsilon);
            var hasZero = nonzero.Length < members.Count;
            var centroids = WeightedKMeans.Centroids(distinct.ToArray(), weights.ToArray(), hasZero ? k - 1 : k);
            if (onIntegerGrid)
                centroids = centroids.Select(c => Math.Round(c, MidpointRounding.ToEven)).Distinct().ToArray();
            foreach (var i in nonzero)
                clustered[i] = centroids[WeightedKMeans.Nearest(centroids, values[i], tieGoesUp: (i & 1) == 1)];
        }
        return clustered;
    }

    /// <summary>The element indices of each group: channel c of <paramref name="axis"/> belongs to group c / channelsPerGroup.</summary>
    private static List<List<int>> GroupsOf(long[] dims, int axis, int channelsPerGroup, int count)
    {
        var channels = dims.Length == 0 ? 1 : checked((int)dims[axis]);
        var inner = 1L;
        for (var d = axis + 1; d < dims.Length; d++) inner *= dims[d];
        var groupCount = channelsPerGroup <= 0 ? 1 : (channels + channelsPerGroup - 1) / channelsPerGroup;
        var groups = Enumerable.Range(0, groupCount).Select(_ => new List<int>()).ToList();
        for (var i = 0; i < count; i++)
        {
            var channel = (int)(i / inner % channels);
            groups[channelsPerGroup <= 0 ? 0 : channel / channelsPerGroup].Add(i);
        }
        return groups;
    }
}
