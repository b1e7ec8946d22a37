using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Finds the channel groups of a graph (<see cref="ChannelGroup"/>) by following each layer's output channels forward
/// through the operators that keep channels apart. Every channel of every producer is an atom; a value's channel axis
/// is a list of atoms (a Concat lays its inputs' lists end to end, a Split cuts slices of its input's), and an
/// element-wise operator ties the atoms at each position together (union-find). Channels joined through one
/// producer's filters make one group. Anything it does not know to be safe stops the group, which then stays whole
/// with the node named: an unknown operator, a graph output, a subgraph, a Concat or Split off the channel axis or
/// with inputs or sizes it cannot follow, a Reshape other than to [batch, features], a grouped Conv whose slices
/// cannot be cut alike (one input channel per group), non-float weights. A grouped Conv ties the i-th channel of each
/// of its slices into one channel, on its input and its output, so every slice keeps the same count. Expects
/// BatchNormalization folded and weights as initializers (the step's declared needs), but also handles a
/// BatchNormalization that is left.
/// </summary>
internal static class ChannelGroupFinder
{
    // Operators whose output channel c depends on input channel c alone (their other inputs, if any, are scalars or
    // initializers checked below).
    private static readonly HashSet<string> ChannelWise = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Clip", "Identity", "Dropout", "Elu",
        "Selu", "Softplus", "Softsign", "Gelu", "Erf", "Neg", "Abs", "Exp", "Sqrt", "Mish", "Celu", "ThresholdedRelu",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool", "Resize", "Upsample",
    };

    private static readonly HashSet<string> ElementWise = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum" };

    /// <summary>The groups of <paramref name="model"/>'s graph, in the order of their first producer.</summary>
    public static IReadOnlyList<ChannelGroup> Find(ModelProto model) => new Walk(model.Graph, OnnxGraph.OpsetVersion(model)).Run();

    private enum Role { Producer, Depthwise, Parameter, Consumer, Split }

    // A node's part in the groups, recorded during the walk with the atoms of its channel axis.
    private sealed record Member(Role Role, NodeProto Node, int[] Atoms, int Input = 0, int Axis = 0, bool Flattened = false);

    private sealed class Walk(GraphProto graph, long opset)
    {
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        // Value -> the atoms along its channel axis; a flattened value has its input's.
        private readonly Dictionary<string, int[]> _channels = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _rank = new(StringComparer.Ordinal);
        private readonly HashSet<string> _flattened = new(StringComparer.Ordinal);
        private readonly List<int> _parent = [];
        // Atom -> the first reason found to keep its group whole, numbered in the order found.
        private readonly Dictionary<int, (int Order, string Reason)> _blocked = [];
        private readonly List<Member> _members = [];

        public IReadOnlyList<ChannelGroup> Run()
        {
            foreach (var node in graph.Node) Visit(node);
            foreach (var output in graph.Output)
                Block(output.Name, $"graph output '{output.Name}' (a model's outputs keep their shapes)");
            foreach (var name in SubgraphReads(graph))
                Block(name, $"a subgraph reads '{name}'");

            // A channel is a set of tied atoms; channels that share a producer's filters are one group, numbered in
            // the order of the producers (graph order).
            var grouping = Enumerable.Range(0, _parent.Count).ToArray();
            foreach (var producer in _members.Where(m => m.Role == Role.Producer))
            {
                foreach (var atom in producer.Atoms.Skip(1)) Join(grouping, Find(producer.Atoms[0]), Find(atom));
            }
            var groups = new List<ChannelGroup>();
            var groupOf = new Dictionary<int, ChannelGroup>();
            var channelOf = new Dictionary<int, (ChannelGroup Group, int Channel)>();
            foreach (var producer in _members.Where(m => m.Role == Role.Producer))
            {
                foreach (var atom in producer.Atoms.Select(Find).Where(a => !channelOf.ContainsKey(a)))
                {
                    var root = Root(grouping, atom);
                    if (!groupOf.TryGetValue(root, out var group))
                    {
                        group = new ChannelGroup(groups.Count);
                        groupOf[root] = group;
                        groups.Add(group);
                    }
                    channelOf[atom] = (group, group.Channels++);
                }
            }

            foreach (var member in _members)
            {
                var map = new ChannelMap(member.Atoms.Select(a => channelOf[Find(a)]));
                foreach (var group in map.Groups) Add(group, member, map);
            }
            foreach (var (value, atoms) in _channels)
            {
                var valueMap = new ChannelMap(atoms.Select(a => channelOf[Find(a)]));
                foreach (var part in atoms.Select(a => channelOf[Find(a)]).GroupBy(c => c.Group))
                {
                    part.Key.Values[value] = valueMap;
                    part.Key.AddPart(part.Select(c => c.Channel).Distinct().Order().ToArray());
                }
            }
            foreach (var (atom, (_, reason)) in _blocked.OrderBy(b => b.Value.Order))
                channelOf[Find(atom)].Group.BlockedBy ??= reason;
            return groups;
        }

        private void Add(ChannelGroup group, Member member, ChannelMap map)
        {
            switch (member.Role)
            {
                case Role.Producer:
                    group.Producers.Add(member.Node);
                    group.Filters[member.Node] = map;
                    break;
                case Role.Depthwise:
                    group.Depthwise.Add(member.Node);
                    group.Filters[member.Node] = map;
                    break;
                case Role.Parameter:
                    group.Parameters.Add(new ChannelParameter(member.Node, member.Input, member.Axis, map));
                    break;
                case Role.Consumer:
                    group.Consumers.Add(new ChannelConsumer(member.Node, member.Flattened, map));
                    break;
                case Role.Split:
                    group.Splits.Add(new ChannelSplit(member.Node, opset, map));
                    break;
            }
        }

        private void Visit(NodeProto node)
        {
            var op = node.Domain is "" or "ai.onnx" ? node.OpType : "";
            var tracked = node.Input.Where(i => i.Length > 0 && _channels.ContainsKey(i)).ToList();
            // A flattened value may only reach the Gemm or MatMul that reads it as features.
            foreach (var input in node.Input.Where(_flattened.Contains))
            {
                if (!(op is "Gemm" or "MatMul" && node.Input[0] == input && node.Input.Skip(1).All(i => !_flattened.Contains(i))))
                    Block(input, $"{Describe(node)} reads the flattened channels");
            }
            switch (op)
            {
                case "Conv":
                    VisitConv(node);
                    return;
                case "Gemm":
                case "MatMul":
                    VisitMatrixLayer(node, op);
                    return;
                case "BatchNormalization" when node.Output.Count == 1 && node.Input.Skip(1).All(_initializers.ContainsKey):
                    if (!Through(node)) return;
                    for (var i = 1; i < node.Input.Count; i++) AddParameter(node, i, node.Input[0], broadcast: false);
                    return;
                case "PRelu":
                    if (!Through(node)) return;
                    AddConstant(node, 1);
                    return;
                case "Pad":
                    if (PadsChannels(node)) { BlockAll(node, tracked, "pads the channel axis or has pads that are not constant"); return; }
                    Through(node);
                    return;
                case "Flatten" when GraphEditor.IntAttribute(node, "axis", 1) == 1:
                case "Reshape" when IsReshapeToFeatures(node):
                    Flatten(node, tracked);
                    return;
                case "Concat":
                    VisitConcat(node, tracked);
                    return;
                case "Split":
                    VisitSplit(node, tracked);
                    return;
            }
            if (ChannelWise.Contains(op))
            {
                if (node.Output.Count > 1 && node.Output[1].Length > 0)
                {
                    BlockAll(node, tracked, "has a second output (indices) that depends on them");
                    return;
                }
                Through(node);
                return;
            }
            if (ElementWise.Contains(op) && node.Output.Count == 1)
            {
                VisitElementWise(node, tracked);
                return;
            }
            BlockAll(node, tracked, "reads them");
        }

        private void VisitConv(NodeProto node)
        {
            var input = node.Input[0];
            BlockWeights(node);
            if (!TryFloatInitializer(node.Input[1], out var weight) || weight.Dims.Count < 3
                || (node.Input.Count > 2 && node.Input[2].Length > 0 && !TryFloatInitializer(node.Input[2], out _)))
            {
                Block(input, $"{Describe(node)} has weights that are not float initializers");
                return;
            }
            var groups = GraphEditor.IntAttribute(node, "group", 1);
            var filters = (int)weight.Dims[0];
            if (groups == 1)
            {
                AddConsumer(node, weight.Dims[1], flattened: false);
                NewChannels(node, filters, weight.Dims.Count);
                return;
            }
            if (groups == filters && weight.Dims[1] == 1 && _channels.TryGetValue(input, out var channels))
            {
                // Depthwise, one filter per input channel: the channels pass through it.
                if (filters != channels.Length)
                {
                    Block(input, $"{Describe(node)} has {filters} filters for {channels.Length} channels");
                    return;
                }
                Through(node);
                _members.Add(new Member(Role.Depthwise, node, channels));
                return;
            }
            VisitGroupedConv(node, (int)groups, filters, (int)weight.Dims[1], weight.Dims.Count);
        }

        // A grouped Conv (1 < group, not depthwise): input and output channels in `groups` equal slices, output slice s
        // reading input slice s alone. Every slice must keep as many channels as the others, so the i-th channel of
        // each slice is tied into one channel (DepGraph's grouped Conv): input channels i, i + Cin/G, ... are pruned
        // together and the weight's column i with them, likewise filters i, i + Cout/G, ...
        private void VisitGroupedConv(NodeProto node, int groups, int filters, int perGroup, int rank)
        {
            var input = node.Input[0];
            if (groups < 1 || filters % groups != 0)
            {
                Block(input, $"{Describe(node)} has {filters} filters for {groups} groups");
                return;
            }
            if (_channels.TryGetValue(input, out var channels))
            {
                if (channels.Length != perGroup * groups)
                    Block(input, $"{Describe(node)} reads {perGroup} channels in each of {groups} groups, which do not match the {channels.Length} channels it is given");
                else if (perGroup == 1)
                    Block(input, $"{Describe(node)} is a grouped Conv with one input channel per group (group {groups}): no slice can lose one");
                else
                {
                    for (var s = 1; s < groups; s++)
                    {
                        for (var i = 0; i < perGroup; i++) Union(channels[(s * perGroup) + i], channels[i]);
                    }
                    _members.Add(new Member(Role.Consumer, node, channels));
                }
            }
            // One output channel per group would be the whole slice: the output is not a group of its own.
            var perSlice = filters / groups;
            if (perSlice == 1) return;
            NewChannels(node, perSlice, rank);
            var atoms = _channels[node.Output[0]];
            var tied = Enumerable.Range(0, filters).Select(f => atoms[f % perSlice]).ToArray();
            Assign(node.Output[0], tied, rank);
            _members[^1] = _members[^1] with { Atoms = tied };
        }

        private void VisitMatrixLayer(NodeProto node, string op)
        {
            var input = node.Input[0];
            BlockWeights(node);
            var transposedInput = op == "Gemm" && GraphEditor.IntAttribute(node, "transA", 0) != 0;
            var twoDimensional = _channels.ContainsKey(input) && _rank[input] == 2;
            if (transposedInput || node.Input.Count < 2 || !TryFloatInitializer(node.Input[1], out var weight) || weight.Dims.Count != 2
                || (op == "MatMul" && _channels.ContainsKey(input) && !twoDimensional))
            {
                Block(input, $"{Describe(node)} does not read them as the columns of a 2-D float weight");
                return;
            }
            var transposed = op == "Gemm" && GraphEditor.IntAttribute(node, "transB", 0) != 0;
            AddConsumer(node, transposed ? weight.Dims[1] : weight.Dims[0], _flattened.Contains(input));
            // A MatMul's output channels are its last axis, the channel axis only when its input is 2-D.
            if (op == "MatMul" && !twoDimensional) return;
            var outputs = (int)(transposed ? weight.Dims[0] : weight.Dims[1]);
            NewChannels(node, outputs, rank: 2);
            if (op == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0)
            {
                if (!TryFloatInitializer(node.Input[2], out var bias) || (TensorData.ElementCount(bias) != outputs && TensorData.ElementCount(bias) != 1))
                    Block(node.Output[0], $"{Describe(node)} has a bias that is not a float initializer of one value per output");
            }
        }

        // A layer's weights and bias must be constants: channels computed into them cannot be cut.
        private void BlockWeights(NodeProto node)
        {
            foreach (var weight in node.Input.Skip(1)) Block(weight, $"{Describe(node)} reads them as weights");
        }

        // A layer reading its first input's channels as <paramref name="columns"/> weight columns (a whole multiple of them when flattened).
        private void AddConsumer(NodeProto node, long columns, bool flattened)
        {
            if (!_channels.TryGetValue(node.Input[0], out var channels)) return;
            if (flattened ? columns % channels.Length != 0 : columns != channels.Length)
                Block(node.Input[0], $"{Describe(node)} reads {columns} input channels, which do not match the {channels.Length} channels it is given");
            else _members.Add(new Member(Role.Consumer, node, channels, Flattened: flattened));
        }

        private void VisitElementWise(NodeProto node, List<string> tracked)
        {
            if (tracked.Count == 0) return;
            var channels = _channels[tracked[0]];
            foreach (var other in tracked.Skip(1))
            {
                if (_channels[other].Length != channels.Length || _rank[other] != _rank[tracked[0]])
                {
                    BlockAll(node, tracked, $"combines {channels.Length} channels of rank {_rank[tracked[0]]} with {_channels[other].Length} of rank {_rank[other]}");
                    return;
                }
            }
            for (var i = 0; i < node.Input.Count; i++)
            {
                var input = node.Input[i];
                if (_channels.ContainsKey(input)) continue;
                if (!_initializers.TryGetValue(input, out var constant))
                {
                    BlockAll(node, tracked, $"also reads '{input}', whose channels are not tracked");
                    return;
                }
                if (TensorData.ElementCount(constant) != 1) AddParameter(node, i, tracked[0], broadcast: true);
            }
            // The channels at each position are one channel from here on.
            foreach (var other in tracked.Skip(1))
            {
                for (var c = 0; c < channels.Length; c++) Union(_channels[other][c], channels[c]);
            }
            Assign(node.Output[0], channels, _rank[tracked[0]]);
        }

        // Concat on the channel axis: the inputs' channels end to end (DepGraph's offsets).
        private void VisitConcat(NodeProto node, List<string> tracked)
        {
            if (tracked.Count == 0) return;
            if (node.Input.FirstOrDefault(i => !_channels.ContainsKey(i)) is { } untracked)
            {
                BlockAll(node, tracked, $"also reads '{untracked}', whose channels are not tracked");
                return;
            }
            if (node.Input.Any(_flattened.Contains))
            {
                BlockAll(node, tracked, "joins them with flattened channels");
                return;
            }
            var rank = _rank[tracked[0]];
            if (tracked.Any(i => _rank[i] != rank))
            {
                BlockAll(node, tracked, "joins values of different ranks");
                return;
            }
            if (GraphEditor.Attribute(node, "axis") is not { } axis || Normalized(axis.I, rank) != 1)
            {
                BlockAll(node, tracked, $"joins them along axis {GraphEditor.Attribute(node, "axis")?.I}, not the channel axis 1");
                return;
            }
            Assign(node.Output[0], node.Input.SelectMany(i => _channels[i]).ToArray(), rank);
        }

        // Split on the channel axis: each output is a slice of the input's channels.
        private void VisitSplit(NodeProto node, List<string> tracked)
        {
            var input = node.Input[0];
            if (!_channels.TryGetValue(input, out var channels))
            {
                BlockAll(node, tracked, "reads them as split sizes");
                return;
            }
            var rank = _rank[input];
            var axis = GraphEditor.IntAttribute(node, "axis", 0);
            if (Normalized(axis, rank) != 1)
            {
                Block(input, $"{Describe(node)} splits them along axis {axis}, not the channel axis 1");
                return;
            }
            if (SplitSizes.Read(node, _initializers, channels.Length, opset) is not { } sizes || sizes.Any(s => s <= 0))
            {
                Block(input, $"{Describe(node)} has split sizes that are not constant or not positive sizes adding up to its {channels.Length} channels");
                return;
            }
            var offset = 0;
            for (var i = 0; i < sizes.Length; i++)
            {
                if (node.Output[i].Length > 0) Assign(node.Output[i], channels[offset..(offset + sizes[i])], rank);
                offset += sizes[i];
            }
            _members.Add(new Member(Role.Split, node, channels));
        }

        private void Flatten(NodeProto node, List<string> tracked)
        {
            if (tracked.Count == 0) return;
            var input = node.Input[0];
            Assign(node.Output[0], _channels[input], 2);
            if (_rank[input] != 2) _flattened.Add(node.Output[0]);
        }

        // Output channel c is input channel c. False when the input's channels are not tracked.
        private bool Through(NodeProto node)
        {
            for (var i = 1; i < node.Input.Count; i++) Block(node.Input[i], $"{Describe(node)} reads them as a parameter");
            if (node.Input.Count == 0 || !_channels.ContainsKey(node.Input[0]) || node.Output.Count == 0) return false;
            Assign(node.Output[0], _channels[node.Input[0]], _rank[node.Input[0]]);
            return true;
        }

        private void AddConstant(NodeProto node, int input)
        {
            if (input >= node.Input.Count || !_initializers.TryGetValue(node.Input[input], out var constant))
            {
                Block(node.Input[0], $"{Describe(node)} has a parameter that is not an initializer");
                return;
            }
            if (TensorData.ElementCount(constant) != 1) AddParameter(node, input, node.Input[0], broadcast: true);
        }

        // A per-channel constant of node input <paramref name="input"/> for the channels of <paramref name="value"/>.
        private void AddParameter(NodeProto node, int input, string value, bool broadcast)
        {
            var constant = _initializers[node.Input[input]];
            var channels = _channels[value];
            if (constant.DataType != (int)TensorProto.Types.DataType.Float)
                Block(value, $"{Describe(node)} has a constant that is not float");
            else if (ChannelAxis(constant, channels.Length, broadcast ? _rank[value] : 0) is { } axis)
                _members.Add(new Member(Role.Parameter, node, channels, input, axis));
            else Block(value, $"{Describe(node)} has a constant of shape [{string.Join(",", constant.Dims)}], not one value per channel of {channels.Length}");
        }

        private bool PadsChannels(NodeProto node)
        {
            long[]? pads = null;
            if (GraphEditor.Attribute(node, "pads") is { } attribute) pads = attribute.Ints.ToArray();
            else if (node.Input.Count > 1 && _initializers.TryGetValue(node.Input[1], out var tensor)) pads = TensorData.ReadInt64s(tensor);
            if (pads is null || pads.Length < 4 || pads.Length % 2 != 0) return true;
            var rank = pads.Length / 2;
            // A constant pad value other than zero is fine: every channel gets it. Axes given (opset 18) are not handled.
            return (node.Input.Count > 3 && node.Input[3].Length > 0) || pads[1] != 0 || pads[rank + 1] != 0;
        }

        private bool IsReshapeToFeatures(NodeProto node)
        {
            if (node.Input.Count < 2 || !_initializers.TryGetValue(node.Input[1], out var shapeTensor)) return false;
            var shape = TensorData.ReadInt64s(shapeTensor);
            // [0 or batch, -1]: the batch kept, the rest flattened channel-major.
            return shape.Length == 2 && shape[1] == -1 && shape[0] >= 0;
        }

        // A producer's output: one new atom per filter.
        private void NewChannels(NodeProto node, int count, int rank)
        {
            var atoms = new int[count];
            for (var i = 0; i < count; i++)
            {
                atoms[i] = _parent.Count;
                _parent.Add(atoms[i]);
            }
            Assign(node.Output[0], atoms, rank);
            _members.Add(new Member(Role.Producer, node, atoms));
        }

        private void Assign(string value, int[] channels, int rank)
        {
            _channels[value] = channels;
            _rank[value] = rank;
        }

        private void Union(int atom, int into) => Join(_parent, Find(atom), Find(into));

        private int Find(int atom) => Root(_parent, atom);

        private void Block(string value, string reason)
        {
            if (!_channels.TryGetValue(value, out var channels)) return;
            foreach (var atom in channels) _blocked.TryAdd(atom, (_blocked.Count, reason));
        }

        private void BlockAll(NodeProto node, IEnumerable<string> values, string what)
        {
            foreach (var value in values) Block(value, $"{Describe(node)} {what}");
        }

        private bool TryFloatInitializer(string name, out TensorProto tensor) =>
            _initializers.TryGetValue(name, out tensor!) && tensor.DataType == (int)TensorProto.Types.DataType.Float;
    }

    private static int Root(IList<int> parent, int item)
    {
        while (parent[item] != item)
        {
            parent[item] = parent[parent[item]];
            item = parent[item];
        }
        return item;
    }

    private static void Join(IList<int> parent, int a, int b)
    {
        var (ra, rb) = (Root(parent, a), Root(parent, b));
        if (ra != rb) parent[ra] = rb;
    }

    private static long Normalized(long axis, int rank) => axis < 0 ? axis + rank : axis;

    /// <summary>
    /// The axis of a per-channel constant: its one dimension of <paramref name="channels"/> elements, every other 1;
    /// null when there is none. A broadcast constant (<paramref name="rank"/> &gt; 0) must meet axis 1 of a value of
    /// that rank (broadcasting aligns from the right: [C, 1, 1] meets NCHW's channels, [C] only a 2-D value's); a 1-D
    /// parameter (rank 0) is [C].
    /// </summary>
    public static int? ChannelAxis(TensorProto constant, int channels, int rank)
    {
        if (rank == 0) return constant.Dims.Count == 1 && constant.Dims[0] == channels ? 0 : null;
        var axes = Enumerable.Range(0, constant.Dims.Count).Where(d => constant.Dims[d] == channels).ToList();
        if (axes.Count != 1 || constant.Dims.Where((size, d) => d != axes[0]).Any(size => size != 1)) return null;
        return constant.Dims.Count <= rank && constant.Dims.Count - axes[0] == rank - 1 ? axes[0] : null;
    }

    public static string Describe(NodeProto node) => node.Name.Length > 0 ? $"{node.OpType} '{node.Name}'" : $"{node.OpType} writing '{node.Output.FirstOrDefault()}'";

    private static IEnumerable<string> SubgraphReads(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute).SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>()
            .SelectMany(g => g.Node.SelectMany(n => n.Input).Concat(SubgraphReads(g))).Distinct();
}
