namespace ModelBuild.Compression.Clustering;

/// <summary>
/// One-dimensional weighted k-means (Lloyd) with k-means++ seeding from a fixed seed, so a model clusters to the same
/// values on every run and machine. The points are a tensor's distinct values, ascending, each weighted by how much an
/// error in it costs (its count times its importance): in one dimension every cluster is a contiguous run of points, so
/// an iteration is a binary search per boundary over prefix sums, not a pass over the points.
/// </summary>
internal static class WeightedKMeans
{
    /// <summary>The seed of the k-means++ draws: fixed, so the result is a function of the weights alone.</summary>
    public const int Seed = 20_141_226;

    private const int MaxIterations = 300;

    /// <summary>
    /// At most <paramref name="k"/> centroids, ascending, for the <paramref name="values"/> (ascending, distinct)
    /// weighted by <paramref name="weights"/> (positive). Fewer distinct values than k: the values themselves.
    /// </summary>
    public static double[] Centroids(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "expected at least one centroid");
        if (values.Length != weights.Length) throw new ArgumentException($"{values.Length} values but {weights.Length} weights", nameof(weights));
        if (values.Length <= k) return values.ToArray();

        var n = values.Length;
        var weightSums = new double[n + 1];
        var weightedSums = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            weightSums[i + 1] = weightSums[i] + weights[i];
            weightedSums[i + 1] = weightedSums[i] + (weights[i] * values[i]);
        }

        var centroids = Seeds(values, weights, k);
        k = centroids.Length;
        var boundaries = new int[k + 1];
        boundaries[k] = n;
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var moved = false;
            for (var j = 1; j < k; j++)
            {
                var boundary = FirstAbove(values, (centroids[j - 1] + centroids[j]) / 2);
                moved |= boundary != boundaries[j];
                boundaries[j] = boundary;
            }
            if (!moved && iteration > 0) break;
            for (var j = 0; j < k; j++)
            {
                var weight = weightSums[boundaries[j + 1]] - weightSums[boundaries[j]];
                // An empty cluster keeps its centroid: it may take points again as its neighbours move.
                if (weight > 0) centroids[j] = (weightedSums[boundaries[j + 1]] - weightedSums[boundaries[j]]) / weight;
            }
            Array.Sort(centroids);
        }
        return centroids;
    }

    /// <summary>
    /// The index of the centroid nearest <paramref name="value"/> in the ascending <paramref name="centroids"/>; a value
    /// halfway between two goes up when <paramref name="tieGoesUp"/>. On an integer grid ties are common (1 between
    /// centroids 0 and 2), and always breaking them one way shifts every output channel's sum the same way.
    /// </summary>
    public static int Nearest(ReadOnlySpan<double> centroids, double value, bool tieGoesUp = false)
    {
        var above = FirstAbove(centroids, value);
        if (above == 0) return 0;
        if (above == centroids.Length) return above - 1;
        var below = value - centroids[above - 1];
        var up = centroids[above] - value;
        return below < up || (below == up && !tieGoesUp) ? above - 1 : above;
    }

    /// <summary>k-means++: the first seed drawn by weight, each next one by weight times squared distance to the nearest seed so far.</summary>
    private static double[] Seeds(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, int k)
    {
        var random = new Random(Seed);
        var n = values.Length;
        var cost = weights.ToArray();
        var seeds = new List<double>(k);
        while (seeds.Count < k)
        {
            var total = 0.0;
            foreach (var c in cost) total += c;
            // Every remaining point sits on a seed: nothing more to draw (cannot happen for distinct values, kept for safety).
            if (total <= 0) break;
            var draw = random.NextDouble() * total;
            var chosen = n - 1;
            for (var i = 0; i < n; i++)
            {
                draw -= cost[i];
                if (draw < 0 && cost[i] > 0)
                {
                    chosen = i;
                    break;
                }
            }
            var seed = values[chosen];
            seeds.Add(seed);
            for (var i = 0; i < n; i++)
            {
                var distance = values[i] - seed;
                var candidate = weights[i] * distance * distance;
                if (seeds.Count == 1 || candidate < cost[i]) cost[i] = candidate;
            }
        }
        var result = seeds.ToArray();
        Array.Sort(result);
        return result;
    }

    /// <summary>The first index whose value is above <paramref name="threshold"/> in ascending <paramref name="values"/> (length: none).</summary>
    private static int FirstAbove(ReadOnlySpan<double> values, double threshold)
    {
        int low = 0, high = values.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (values[middle] > threshold) high = middle;
            else low = middle + 1;
        }
        return low;
    }
}
