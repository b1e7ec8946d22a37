using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Output channels that must be removed together (DepGraph's dependency group): the layers that produce them (Conv
/// filters, Gemm rows), everything between that keeps them apart channel by channel (activations, pooling, per-channel
/// constants, depthwise Convs, residual Adds that tie several producers to one channel set), and the layers that read
/// them (a Conv's input channels, a Gemm's input columns, channel x spatial size of them after a Flatten).
/// </summary>
internal sealed class ChannelGroup
{
    public ChannelGroup(int id) => Id = id;

    public int Id { get; }

    /// <summary>How many channels the group has (every producer's output count).</summary>
    public int Channels { get; set; }

    /// <summary>The rank of its values (a Conv's output has its weight's rank, a Gemm's 2): per-channel constants broadcast to it.</summary>
    public int Rank { get; set; }

    /// <summary>Conv (group 1) and Gemm nodes whose outputs are the channels.</summary>
    public List<NodeProto> Producers { get; } = [];

    /// <summary>Depthwise Convs inside the group: one filter per channel, removed with it.</summary>
    public List<NodeProto> Depthwise { get; } = [];

    /// <summary>Per-channel initializers of nodes inside the group (BatchNormalization, PRelu, Add/Mul constants).</summary>
    public List<ChannelParameter> Parameters { get; } = [];

    /// <summary>Layers that read the channels.</summary>
    public List<ChannelConsumer> Consumers { get; } = [];

    /// <summary>The values whose channel axis is the group's (their recorded shapes change when it is pruned).</summary>
    public List<string> Values { get; } = [];

    /// <summary>Why the group must stay whole (the node that stopped it); null when it can be pruned.</summary>
    public string? BlockedBy { get; set; }

    public bool CanPrune => BlockedBy is null && Channels > 1 && Producers.Count > 0;

    /// <summary>The producers' names, for messages.</summary>
    public string Name => string.Join("+", Producers.Select(p => p.Name.Length > 0 ? p.Name : p.Output[0]));
}

/// <summary>
/// A per-channel initializer read by input <paramref name="Input"/> of <paramref name="Node"/>; <paramref name="Broadcast"/>
/// when it meets the channels by broadcasting (Add, Mul, PRelu), not as a 1-D parameter (BatchNormalization).
/// </summary>
internal sealed record ChannelParameter(NodeProto Node, int Input, bool Broadcast);

/// <summary>
/// A layer reading the group's channels through its first input; <paramref name="Flattened"/> when it reads them
/// after a Flatten or Reshape to two dimensions, as channel x spatial features (channel-major).
/// </summary>
internal sealed record ChannelConsumer(NodeProto Node, bool Flattened);
