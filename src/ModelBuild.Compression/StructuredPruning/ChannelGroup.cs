using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Output channels that must be removed together (DepGraph's dependency group): the layers that produce them (Conv
/// filters, Gemm rows), everything between that keeps them apart channel by channel (activations, pooling, per-channel
/// constants, depthwise Convs, residual Adds that tie several producers to one channel set, Concats that lay groups
/// end to end, Splits that cut them into slices), and the layers that read them (a Conv's input channels, a Gemm's
/// input columns, channel x spatial size of them after a Flatten). Each member has a <see cref="ChannelMap"/> from
/// its own channel positions to the group's channels: after a Concat or Split a member holds part of the group, or
/// several groups.
/// </summary>
internal sealed class ChannelGroup
{
    private readonly List<int[]> _parts = [];
    private readonly HashSet<string> _partKeys = new(StringComparer.Ordinal);

    public ChannelGroup(int id) => Id = id;

    public int Id { get; }

    /// <summary>How many channels the group has.</summary>
    public int Channels { get; set; }

    /// <summary>Conv (not depthwise), Gemm and MatMul nodes whose outputs are the channels.</summary>
    public List<NodeProto> Producers { get; } = [];

    /// <summary>Depthwise Convs inside the group: one filter per channel, removed with it.</summary>
    public List<NodeProto> Depthwise { get; } = [];

    /// <summary>Where each producer's and depthwise Conv's filters are in the group.</summary>
    public Dictionary<NodeProto, ChannelMap> Filters { get; } = new(NodeIdentity.Comparer);

    /// <summary>Per-channel initializers of nodes inside the group (BatchNormalization, PRelu, Add/Mul constants).</summary>
    public List<ChannelParameter> Parameters { get; } = [];

    /// <summary>Splits of the channel axis inside the group: their sizes are rewritten when it is pruned.</summary>
    public List<ChannelSplit> Splits { get; } = [];

    /// <summary>Layers that read the channels.</summary>
    public List<ChannelConsumer> Consumers { get; } = [];

    /// <summary>
    /// The values whose channel axis holds the group's channels (their recorded shapes change when it is pruned), each
    /// with its channel axis as group channels (shared by every group the value holds channels of; never edited).
    /// </summary>
    public Dictionary<string, ChannelMap> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Why the group must stay whole (the node that stopped it); null when it can be pruned.</summary>
    public string? BlockedBy { get; set; }

    public bool CanPrune => BlockedBy is null && Channels > 1 && Producers.Count > 0;

    /// <summary>
    /// Filters per channel in the widest producer: 1, or a grouped Conv's group count where its slices tie one filter
    /// of each into a channel (what a kept count must be multiplied by to be a filter count).
    /// </summary>
    public int FiltersPerChannel => Producers.Count == 0 ? 1 : Producers.Max(p => Filters[p].Width(this));

    /// <summary>The producers' names, for messages.</summary>
    public string Name => string.Join("+", Producers.Select(p => p.Name.Length > 0 ? p.Name : p.Output[0]));

    /// <summary>Channels of which at least one must stay: the group's share of one value (a Concat input, a Split output).</summary>
    public void AddPart(int[] channels)
    {
        if (channels.Length < Channels && _partKeys.Add(string.Join(",", channels))) _parts.Add(channels);
    }

    /// <summary>
    /// The channels kept (ascending) when the <paramref name="removed"/> least important go, skipping any whose removal
    /// would leave a value without channels (a Concat input or Split output that holds only part of the group).
    /// </summary>
    public int[] Keep(int[] leastImportantFirst, int removed)
    {
        var left = _parts.Select(p => p.Length).ToArray();
        var partsOf = Enumerable.Range(0, Channels).Select(_ => new List<int>()).ToArray();
        for (var p = 0; p < _parts.Count; p++)
        {
            foreach (var channel in _parts[p]) partsOf[channel].Add(p);
        }
        var gone = new HashSet<int>();
        foreach (var channel in leastImportantFirst)
        {
            if (gone.Count == removed) break;
            if (partsOf[channel].Any(p => left[p] == 1)) continue;
            foreach (var p in partsOf[channel]) left[p]--;
            gone.Add(channel);
        }
        return Enumerable.Range(0, Channels).Where(c => !gone.Contains(c)).ToArray();
    }
}

/// <summary>
/// A per-channel initializer read by input <paramref name="Input"/> of <paramref name="Node"/>, its channels along
/// <paramref name="Axis"/> (a broadcast constant of Add, Mul, PRelu, or a BatchNormalization's 1-D parameter).
/// </summary>
internal sealed record ChannelParameter(NodeProto Node, int Input, int Axis, ChannelMap Map);

/// <summary>
/// A layer reading channels through its first input; <paramref name="Flattened"/> when it reads them after a Flatten
/// or Reshape to two dimensions, as channel x spatial features (channel-major).
/// </summary>
internal sealed record ChannelConsumer(NodeProto Node, bool Flattened, ChannelMap Map);

/// <summary>A Split of the channel axis in a model of default-domain opset <paramref name="Opset"/> (which says how its sizes are written, <see cref="SplitSizes"/>).</summary>
internal sealed record ChannelSplit(NodeProto Node, long Opset, ChannelMap Map);
