namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// The multiply-accumulates a pruning plan saves, counted exactly rather than per channel: each layer's work scales
/// with the kept fraction of its output channels (a producer's or depthwise filter's group) times that of its input
/// channels (a consumer's group), so a layer narrowed on both sides is not counted twice.
/// </summary>
internal sealed class PlannedSavings
{
    private readonly IReadOnlyList<ChannelGroup> _groups;
    private readonly List<(long MultiplyAccumulates, int OutputGroup, int InputGroup)> _layers;

    /// <param name="groups">Every channel group.</param>
    /// <param name="prunable">The indices of those that may be cut.</param>
    /// <param name="before">Each layer's cost in the unpruned model.</param>
    public PlannedSavings(IReadOnlyList<ChannelGroup> groups, IEnumerable<int> prunable, IReadOnlyList<LayerCost> before)
    {
        _groups = groups;
        var output = new Dictionary<string, int>(StringComparer.Ordinal);
        var input = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var g in prunable)
        {
            foreach (var node in groups[g].Producers.Concat(groups[g].Depthwise)) output[LayerCost.NameOf(node)] = g;
            foreach (var consumer in groups[g].Consumers) input[LayerCost.NameOf(consumer.Node)] = g;
        }
        _layers = before.Select(c => (c.MultiplyAccumulates, output.GetValueOrDefault(c.Layer, -1), input.GetValueOrDefault(c.Layer, -1))).ToList();
    }

    /// <summary>The multiply-accumulates saved with <paramref name="removed"/>(group) channels removed from each group.</summary>
    public double Saved(Func<int, int> removed)
    {
        double saved = 0;
        foreach (var (multiplyAccumulates, outputGroup, inputGroup) in _layers)
            saved += multiplyAccumulates * (1 - (Kept(outputGroup, removed) * Kept(inputGroup, removed)));
        return saved;
    }

    private double Kept(int group, Func<int, int> removed) => group < 0 ? 1 : 1 - (removed(group) / (double)_groups[group].Channels);
}
