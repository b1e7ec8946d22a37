using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// The order in which a group's channels are removed (least costly first), chosen by what their removal costs the
/// consumers' outputs after the least-squares refit rather than by norms (group OBS, as in OBC and ZipLM): greedily,
/// one channel at a time, the one whose removal adds the least output error summed over the group's consumers, each
/// consumer then compensating with the channels left (<see cref="ConsumerReconstruction"/>). Two channels carrying
/// the same signal cost nothing to halve, however large their norms, which a norm ranking cannot see.
/// </summary>
internal static class ReconstructionRanking
{
    /// <param name="group">The channel group.</param>
    /// <param name="initializers">The graph's initializers by name.</param>
    /// <param name="statistics">Each consumer's input statistics on the calibration inputs.</param>
    /// <param name="secondOrder">False ranks by squared weights times the input's mean square alone (the first-order ranking, for comparison).</param>
    /// <returns>Every channel, in removal order: the first are removed first, the last would go last.</returns>
    public static int[] Rank(ChannelGroup group, IReadOnlyDictionary<string, TensorProto> initializers, Func<NodeProto, LayerInputStatistics> statistics, bool secondOrder = true)
    {
        // Each consumer works on its own input channels; a group channel is the positions its map gives (after a
        // Concat a consumer also reads other groups' channels, which stay and compensate).
        var consumers = group.Consumers.Select(c => (
            Positions: Enumerable.Range(0, group.Channels).Select(channel => Enumerable.Range(0, c.Map.Count).Where(p => c.Map.ChannelOf(group, p) == channel).ToArray()).ToArray(),
            Reconstruction: new ConsumerReconstruction(c.Node, initializers, statistics(c.Node), c.Map.Count, secondOrder))).ToList();
        var remaining = Enumerable.Range(0, group.Channels).ToList();
        var order = new List<int>(group.Channels);
        while (remaining.Count > 1)
        {
            // Ties go to the lower channel, so the order is deterministic.
            var costs = remaining.Select(c => consumers.Sum(consumer => consumer.Positions[c].Sum(consumer.Reconstruction.Cost))).ToList();
            var best = remaining[costs.IndexOf(costs.Min())];
            order.Add(best);
            remaining.Remove(best);
            foreach (var (positions, reconstruction) in consumers)
            {
                foreach (var position in positions[best]) reconstruction.Remove(position);
            }
        }
        order.AddRange(remaining);
        return order.ToArray();
    }
}
