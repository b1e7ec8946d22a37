using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Finds the channel groups of a graph (<see cref="ChannelGroup"/>) by following each layer's output channels forward
/// through the operators that keep channels apart, merging the sets that an element-wise operator ties together
/// (union-find over values). Anything it does not know to be safe stops the group, which then stays whole with the
/// node named: an unknown operator, a graph output, a subgraph, a Concat or Split, a Reshape other than to
/// [batch, features], a grouped Conv, non-float weights. Expects BatchNormalization folded and weights as initializers
/// (the step's declared needs), but also handles a BatchNormalization that is left.
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

    public static IReadOnlyList<ChannelGroup> Find(GraphProto graph) => new Walk(graph).Run();

    private sealed class Walk(GraphProto graph)
    {
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        // Value -> its space (an index into _parent); a flattened value is in its space's set too.
        private readonly Dictionary<string, int> _space = new(StringComparer.Ordinal);
        private readonly HashSet<string> _flattened = new(StringComparer.Ordinal);
        private readonly HashSet<string> _twoDimensional = new(StringComparer.Ordinal);
        private readonly List<int> _parent = [];
        private readonly List<ChannelGroup> _groups = [];

        public IReadOnlyList<ChannelGroup> Run()
        {
            foreach (var node in graph.Node) Visit(node);
            foreach (var output in graph.Output)
                Block(output.Name, $"graph output '{output.Name}' (a model's outputs keep their shapes)");
            foreach (var name in SubgraphReads(graph))
                Block(name, $"a subgraph reads '{name}'");

            // Merge the unions' bookkeeping into their roots.
            for (var i = 0; i < _groups.Count; i++)
            {
                var root = _groups[Find(i)];
                if (ReferenceEquals(root, _groups[i])) continue;
                var part = _groups[i];
                root.Producers.AddRange(part.Producers);
                root.Depthwise.AddRange(part.Depthwise);
                root.Parameters.AddRange(part.Parameters);
                root.Consumers.AddRange(part.Consumers);
                root.BlockedBy ??= part.BlockedBy;
                if (root.Rank == 0) root.Rank = part.Rank;
                if (root.Channels == 0) root.Channels = part.Channels;
                else if (part.Channels != 0 && part.Channels != root.Channels)
                    root.BlockedBy ??= $"{part.Name} has {part.Channels} channels where {root.Name} has {root.Channels}";
            }
            foreach (var (value, space) in _space) _groups[Find(space)].Values.Add(value);
            var groups = _groups.Where((g, i) => Find(i) == i && g.Producers.Count > 0).ToList();
            var position = graph.Node.Select((node, i) => (node, i)).ToDictionary(p => p.node, p => p.i, NodeIdentity.Comparer);
            foreach (var group in groups)
            {
                group.BlockedBy ??= Mismatch(group);
                // In graph order, whichever way the unions went.
                SortBy(group.Producers, n => position[n]);
                SortBy(group.Consumers, c => position[c.Node]);
            }
            return groups;
        }

        // Every parameter and consumer must agree with the producers' channel count, or the group stays whole.
        private string? Mismatch(ChannelGroup group)
        {
            foreach (var parameter in group.Parameters)
            {
                var constant = _initializers[parameter.Node.Input[parameter.Input]];
                if (ChannelAxis(constant, group.Channels, parameter.Broadcast ? group.Rank : 0) is null)
                    return $"{Describe(parameter.Node)} has a constant of shape [{string.Join(",", constant.Dims)}], not one value per channel of {group.Channels}";
            }
            foreach (var consumer in group.Consumers)
            {
                var weight = _initializers[consumer.Node.Input[1]];
                var columns = consumer.Node.OpType == "Conv" ? weight.Dims[1]
                    : consumer.Node.OpType == "Gemm" && GraphEditor.IntAttribute(consumer.Node, "transB", 0) != 0 ? weight.Dims[1] : weight.Dims[0];
                if (consumer.Flattened ? columns % group.Channels != 0 : columns != group.Channels)
                    return $"{Describe(consumer.Node)} reads {columns} input channels, which do not match the {group.Channels} channels of {group.Name}";
            }
            foreach (var depthwise in group.Depthwise)
            {
                if (_initializers[depthwise.Input[1]].Dims[0] != group.Channels)
                    return $"{Describe(depthwise)} has {_initializers[depthwise.Input[1]].Dims[0]} filters for {group.Channels} channels";
            }
            return null;
        }

        private void Visit(NodeProto node)
        {
            var op = node.Domain is "" or "ai.onnx" ? node.OpType : "";
            var inputSpaces = node.Input.Where(i => i.Length > 0 && _space.ContainsKey(i)).ToList();
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
                    for (var i = 1; i < node.Input.Count; i++) GroupOf(node.Input[0]).Parameters.Add(new ChannelParameter(node, i, Broadcast: false));
                    return;
                case "PRelu":
                    if (!Through(node)) return;
                    AddConstant(node, 1);
                    return;
                case "Pad":
                    if (PadsChannels(node)) { BlockAll(node, inputSpaces, "pads the channel axis or has pads that are not constant"); return; }
                    Through(node);
                    return;
                case "Flatten" when GraphEditor.IntAttribute(node, "axis", 1) == 1:
                case "Reshape" when IsReshapeToFeatures(node):
                    Flatten(node, inputSpaces);
                    return;
            }
            if (ChannelWise.Contains(op))
            {
                if (node.Output.Count > 1 && node.Output[1].Length > 0)
                {
                    BlockAll(node, inputSpaces, "has a second output (indices) that depends on them");
                    return;
                }
                Through(node);
                return;
            }
            if (ElementWise.Contains(op) && node.Output.Count == 1)
            {
                VisitElementWise(node, inputSpaces);
                return;
            }
            BlockAll(node, inputSpaces, "reads them");
        }

        private void VisitConv(NodeProto node)
        {
            var input = node.Input[0];
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
                if (_space.ContainsKey(input)) GroupOf(input).Consumers.Add(new ChannelConsumer(node, Flattened: false));
                var produced = NewSpace(node.Output[0], twoDimensional: false);
                produced.Producers.Add(node);
                produced.Channels = filters;
                produced.Rank = weight.Dims.Count;
                return;
            }
            if (groups == filters && weight.Dims[1] == 1 && _space.ContainsKey(input))
            {
                // Depthwise, one filter per input channel: the channels pass through it.
                Union(node.Output[0], input);
                GroupOf(input).Depthwise.Add(node);
                return;
            }
            Block(input, $"{Describe(node)} is a grouped Conv (group {groups})");
        }

        private void VisitMatrixLayer(NodeProto node, string op)
        {
            var input = node.Input[0];
            var transposedInput = op == "Gemm" && GraphEditor.IntAttribute(node, "transA", 0) != 0;
            var known = _space.ContainsKey(input);
            if (transposedInput || node.Input.Count < 2 || !TryFloatInitializer(node.Input[1], out var weight) || weight.Dims.Count != 2
                || (op == "MatMul" && known && !_twoDimensional.Contains(input) && !_flattened.Contains(input)))
            {
                if (known) Block(input, $"{Describe(node)} does not read them as the columns of a 2-D float weight");
                return;
            }
            var transposed = op == "Gemm" && GraphEditor.IntAttribute(node, "transB", 0) != 0;
            if (known) GroupOf(input).Consumers.Add(new ChannelConsumer(node, _flattened.Contains(input)));
            // A MatMul's output channels are its last axis, the channel axis only when its input is 2-D.
            if (op == "MatMul" && !(known && (_twoDimensional.Contains(input) || _flattened.Contains(input)))) return;
            var outputs = (int)(transposed ? weight.Dims[0] : weight.Dims[1]);
            var produced = NewSpace(node.Output[0], twoDimensional: true);
            produced.Channels = outputs;
            produced.Rank = 2;
            produced.Producers.Add(node);
            if (op == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0)
            {
                if (!TryFloatInitializer(node.Input[2], out var bias) || (TensorData.ElementCount(bias) != outputs && TensorData.ElementCount(bias) != 1))
                    produced.BlockedBy = $"{Describe(node)} has a bias that is not a float initializer of one value per output";
            }
        }

        private void VisitElementWise(NodeProto node, List<string> inputSpaces)
        {
            if (inputSpaces.Count == 0) return;
            for (var i = 0; i < node.Input.Count; i++)
            {
                var input = node.Input[i];
                if (_space.ContainsKey(input)) continue;
                if (!_initializers.TryGetValue(input, out var constant))
                {
                    BlockAll(node, inputSpaces, $"also reads '{input}', whose channels are not tracked");
                    return;
                }
                if (TensorData.ElementCount(constant) != 1) AddConstantOf(node, i, inputSpaces[0]);
            }
            foreach (var input in inputSpaces.Skip(1)) Union(inputSpaces[0], input);
            Union(node.Output[0], inputSpaces[0]);
        }

        private void Flatten(NodeProto node, List<string> inputSpaces)
        {
            if (inputSpaces.Count == 0) return;
            var input = node.Input[0];
            if (_twoDimensional.Contains(input))
            {
                Union(node.Output[0], input);
                return;
            }
            _space[node.Output[0]] = _space[input];
            _flattened.Add(node.Output[0]);
        }

        // Output channel c is input channel c: the output joins the input's space. False when there is no space.
        private bool Through(NodeProto node)
        {
            if (node.Input.Count == 0 || !_space.ContainsKey(node.Input[0]) || node.Output.Count == 0) return false;
            for (var i = 1; i < node.Input.Count; i++)
            {
                if (_space.ContainsKey(node.Input[i]))
                    Block(node.Input[i], $"{Describe(node)} reads them as a parameter");
            }
            foreach (var output in node.Output.Take(1)) Union(output, node.Input[0]);
            if (_twoDimensional.Contains(node.Input[0])) _twoDimensional.Add(node.Output[0]);
            return true;
        }

        private void AddConstant(NodeProto node, int input)
        {
            if (input >= node.Input.Count || !_initializers.TryGetValue(node.Input[input], out var constant))
            {
                Block(node.Input[0], $"{Describe(node)} has a parameter that is not an initializer");
                return;
            }
            if (TensorData.ElementCount(constant) != 1) AddConstantOf(node, input, node.Input[0]);
        }

        private void AddConstantOf(NodeProto node, int input, string space)
        {
            if (_initializers[node.Input[input]].DataType != (int)TensorProto.Types.DataType.Float)
                Block(space, $"{Describe(node)} has a constant that is not float");
            else GroupOf(space).Parameters.Add(new ChannelParameter(node, input, Broadcast: true));
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

        private ChannelGroup NewSpace(string value, bool twoDimensional)
        {
            var group = new ChannelGroup(_groups.Count);
            _groups.Add(group);
            _parent.Add(group.Id);
            _space[value] = group.Id;
            if (twoDimensional) _twoDimensional.Add(value);
            return group;
        }

        private ChannelGroup GroupOf(string value) => _groups[Find(_space[value])];

        private void Union(string value, string into)
        {
            var target = Find(_space[into]);
            if (_space.TryGetValue(value, out var existing))
            {
                var root = Find(existing);
                if (root != target) _parent[root] = target;
            }
            else _space[value] = target;
            if (_twoDimensional.Contains(into)) _twoDimensional.Add(value);
        }

        private int Find(int space)
        {
            while (_parent[space] != space)
            {
                _parent[space] = _parent[_parent[space]];
                space = _parent[space];
            }
            return space;
        }

        private void Block(string value, string reason)
        {
            if (_space.ContainsKey(value)) GroupOf(value).BlockedBy ??= reason;
        }

        private void BlockAll(NodeProto node, IEnumerable<string> spaces, string what)
        {
            foreach (var value in spaces) Block(value, $"{Describe(node)} {what}");
        }

        private bool TryFloatInitializer(string name, out TensorProto tensor) =>
            _initializers.TryGetValue(name, out tensor!) && tensor.DataType == (int)TensorProto.Types.DataType.Float;
    }

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

    private static void SortBy<T>(List<T> items, Func<T, int> key)
    {
        var sorted = items.OrderBy(key).ToList();
        items.Clear();
        items.AddRange(sorted);
    }

    public static string Describe(NodeProto node) => node.Name.Length > 0 ? $"{node.OpType} '{node.Name}'" : $"{node.OpType} writing '{node.Output.FirstOrDefault()}'";

    private static IEnumerable<string> SubgraphReads(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute).SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>()
            .SelectMany(g => g.Node.SelectMany(n => n.Input).Concat(SubgraphReads(g))).Distinct();
}
