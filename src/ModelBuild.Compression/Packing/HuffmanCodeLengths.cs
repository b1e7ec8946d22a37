using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Huffman code lengths for byte symbols from their counts, limited to <see cref="ModelContainerFormat.MaxCodeLength"/>
/// bits: when the optimal tree is deeper, the counts are halved (never below 1) and the tree built again, which
/// flattens it at a cost of a fraction of a percent on the rare streams that need it.
/// </summary>
internal static class HuffmanCodeLengths
{
    /// <param name="counts">How often each symbol occurs; at least two must occur.</param>
    /// <returns>Each symbol's code length, 0 for symbols that do not occur.</returns>
    public static byte[] For(ReadOnlySpan<long> counts)
    {
        var symbols = new List<int>();
        for (var symbol = 0; symbol < counts.Length; symbol++)
        {
            if (counts[symbol] > 0) symbols.Add(symbol);
        }
        if (symbols.Count < 2)
            throw new ArgumentException($"a Huffman code needs at least 2 symbols, found {symbols.Count}", nameof(counts));
        var weights = new long[symbols.Count];
        for (var i = 0; i < weights.Length; i++) weights[i] = counts[symbols[i]];
        while (true)
        {
            var depths = TreeDepths(weights);
            if (depths.Max() <= ModelContainerFormat.MaxCodeLength)
            {
                var lengths = new byte[counts.Length];
                for (var i = 0; i < symbols.Count; i++) lengths[symbols[i]] = (byte)depths[i];
                return lengths;
            }
            weights = weights.Select(w => Math.Max(1, w >> 1)).ToArray();
        }
    }

    // Depth of each leaf in the Huffman tree: merge the two lightest nodes until one is left. Ties go to the node
    // made first, so equal counts give the same code on every run.
    private static int[] TreeDepths(long[] weights)
    {
        var n = weights.Length;
        var parent = new int[2 * n - 1];
        var queue = new PriorityQueue<int, (long Weight, int Order)>();
        for (var i = 0; i < n; i++) queue.Enqueue(i, (weights[i], i));
        var next = n;
        while (queue.Count > 1)
        {
            queue.TryDequeue(out var a, out var pa);
            queue.TryDequeue(out var b, out var pb);
            parent[a] = parent[b] = next;
            queue.Enqueue(next, (pa.Weight + pb.Weight, next));
            next++;
        }
        // A parent is made after its children, so one pass from the root down fills every depth.
        var depth = new int[2 * n - 1];
        for (var node = 2 * n - 3; node >= 0; node--) depth[node] = depth[parent[node]] + 1;
        return depth[..n];
    }
}
