namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// The multiply-accumulates (or measured layer time) a pruning plan saves, counted exactly rather than per channel:
/// each layer's work scales with the kept fraction of its output channels (a producer's or depthwise filter's group)
/// times that of its input channels (a consumer's group), so a layer narrowed on both sides is not counted twice.
/// </summary>
internal sealed class PlannedSavings
{
    private readonly IReadOnlyList<ChannelGroup> _groups;
    private readonly List<(double Cost, List<(int Group, double Share)> Outputs, List<(int Group, double Share)> Inputs)> _layers;

    /// <param name="groups">Every channel group.</param>
    /// <param name="prunable">The indices of those that may be cut.</param>
    /// <param name="before">Each layer's cost in the unpruned model (multiply-accumulates or microseconds), by <see cref="LayerCost.NameOf"/>.</param>
    public PlannedSavings(IReadOnlyList<ChannelGroup> groups, IEnumerable<int> prunable, IReadOnlyList<(string Layer, double Cost)> before)
    {
        _groups = groups;
        // A layer may hold part of a group on either side (a Concat's reader, a producer tied to one Concat input), or
        // several groups: each counts with its share of the layer's channels.
        var outputs = new Dictionary<string, List<(int, double)>>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, List<(int, double)>>(StringComparer.Ordinal);
        foreach (var g in prunable)
        {
            foreach (var (node, map) in groups[g].Filters) Add(outputs, LayerCost.NameOf(node), g, map.Share(groups[g]));
            foreach (var consumer in groups[g].Consumers) Add(inputs, LayerCost.NameOf(consumer.Node), g, consumer.Map.Share(groups[g]));
        }
        _layers = before.Select(c => (c.Cost, outputs.GetValueOrDefault(c.Layer) ?? [], inputs.GetValueOrDefault(c.Layer) ?? [])).ToList();
    }

    /// <summary>The cost saved with <paramref name="removed"/>(group) channels removed from each group.</summary>
    public double Saved(Func<int, int> removed)
    {
        double saved = 0;
        foreach (var (cost, outputs, inputs) in _layers)
            saved += cost * (1 - (Kept(outputs, removed) * Kept(inputs, removed)));
        return saved;
    }

    private double Kept(List<(int Group, double Share)> side, Func<int, int> removed) =>
        1 - side.Sum(part => part.Share * removed(part.Group) / _groups[part.Group].Channels);

    private static void Add(Dictionary<string, List<(int, double)>> side, string layer, int group, double share)
    {
        if (!side.TryGetValue(layer, out var parts)) side[layer] = parts = [];
        parts.Add((group, share));
    }
}
