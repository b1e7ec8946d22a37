using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// Forward and backward of one <see cref="BlockRegion"/> in float, for training its weights: Conv (group 1, 2-D,
/// dilation 1, explicit pads), Gemm (transA 0, alpha and beta 1) as a 1x1 Conv, Relu, and Add of two values of one
/// shape (BatchNormalization already folded). Values are channel-major over the batch (<see cref="ChannelMajor"/>).
/// Any other operator, attribute or shared weight makes <see cref="TryCreate"/> refuse the region.
/// </summary>
internal sealed class BlockEngine
{
    private readonly BlockRegion _region;
    private readonly List<Layer> _layers;
    private readonly Dictionary<string, (float[] Values, ChannelMajor Shape)> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<NodeProto, float[]> _columns = new(ReferenceEqualityComparer.Instance);

    private BlockEngine(BlockRegion region, List<Layer> layers)
    {
        _region = region;
        _layers = layers;
    }

    /// <summary>Each trained layer's weights [out, in x kh x kw] and bias [out], and their gradients.</summary>
    public IEnumerable<(float[] Values, float[] Gradient, float Scale)> Parameters =>
        _layers.Where(l => l.Weights is not null).SelectMany(l => new[] { (l.Weights!, l.WeightGradient!, l.Scale), (l.Bias!, l.BiasGradient!, l.Scale) });

    /// <summary>An engine over <paramref name="region"/> with its current weights, or null and the reason.</summary>
    public static BlockEngine? TryCreate(BlockRegion region, GraphProto graph, out string? unsupported)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var uses = GraphEditor.ConsumerCounts(graph);
        var layers = new List<Layer>();
        foreach (var node in region.Nodes)
        {
            unsupported = $"{node.OpType} '{node.Name}'";
            if (node.Domain is not ("" or "ai.onnx") || node.Output.Count != 1) return null;
            switch (node.OpType)
            {
                case "Relu" when node.Input.Count == 1:
                    layers.Add(new Layer(node, Kind.Relu));
                    break;
                case "Add" when node.Input.Count == 2 && node.Input.All(i => !initializers.ContainsKey(i)):
                    layers.Add(new Layer(node, Kind.Add));
                    break;
                case "Conv" or "Gemm":
                    if (Trainable(node, initializers, uses) is not { } layer) return null;
                    layers.Add(layer);
                    break;
                default:
                    return null;
            }
        }
        unsupported = layers.Any(l => l.Weights is not null) ? null : "no Conv or Gemm";
        return unsupported is null ? new BlockEngine(region, layers) : null;
    }

    /// <summary>Runs the block on a batch; every value is kept for <see cref="Backward"/>.</summary>
    /// <exception cref="InvalidOperationException">Shapes the engine does not handle (an Add that would broadcast).</exception>
    public (float[] Values, ChannelMajor Shape) Forward(float[] input, ChannelMajor shape)
    {
        _values.Clear();
        _values[_region.Input] = (input, shape);
        foreach (var layer in _layers)
        {
            var (x, xs) = _values[layer.Node.Input[0]];
            float[] y;
            var ys = xs;
            switch (layer.Kind)
            {
                case Kind.Relu:
                    y = new float[x.Length];
                    for (var i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : 0;
                    break;
                case Kind.Add:
                    var (x2, xs2) = _values[layer.Node.Input[1]];
                    if (xs2 != xs) throw new InvalidOperationException($"Add '{layer.Node.Name}' broadcasts {xs2} to {xs}");
                    y = new float[x.Length];
                    for (var i = 0; i < x.Length; i++) y[i] = x[i] + x2[i];
                    break;
                default:
                    (y, ys) = ForwardLinear(layer, x, xs);
                    break;
            }
            _values[layer.Node.Output[0]] = (y, ys);
        }
        return _values[_region.Output];
    }

    /// <summary>The value named <paramref name="name"/> from the last <see cref="Forward"/>.</summary>
    public (float[] Values, ChannelMajor Shape) Value(string name) => _values[name];

    /// <summary>Adds the gradients of a loss whose gradient at value <paramref name="name"/> is <paramref name="gradient"/> to the parameters' gradients.</summary>
    public void Backward(string name, float[] gradient)
    {
        var gradients = new Dictionary<string, float[]>(StringComparer.Ordinal) { [name] = gradient };
        void Accumulate(string value, float[] g)
        {
            if (value == _region.Input) return;
            if (!gradients.TryGetValue(value, out var sum)) gradients[value] = (float[])g.Clone();
            else for (var i = 0; i < g.Length; i++) sum[i] += g[i];
        }
        for (var l = _layers.Count - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            if (!gradients.TryGetValue(layer.Node.Output[0], out var g)) continue;
            switch (layer.Kind)
            {
                case Kind.Relu:
                    var y = _values[layer.Node.Output[0]].Values;
                    var dx = new float[g.Length];
                    for (var i = 0; i < g.Length; i++) dx[i] = y[i] > 0 ? g[i] : 0;
                    Accumulate(layer.Node.Input[0], dx);
                    break;
                case Kind.Add:
                    Accumulate(layer.Node.Input[0], g);
                    Accumulate(layer.Node.Input[1], g);
                    break;
                default:
                    var input = layer.Node.Input[0];
                    var dInput = BackwardLinear(layer, g, input != _region.Input);
                    if (dInput is not null) Accumulate(input, dInput);
                    break;
            }
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var (_, gradient, _) in Parameters) Array.Clear(gradient);
    }

    /// <summary>A copy of every parameter's values, for <see cref="Restore"/>.</summary>
    public float[][] Snapshot() => Parameters.Select(p => (float[])p.Values.Clone()).ToArray();

    public void Restore(float[][] snapshot)
    {
        var i = 0;
        foreach (var (values, _, _) in Parameters) Array.Copy(snapshot[i++], values, values.Length);
    }

    /// <summary>The trained weights and biases written into <paramref name="graph"/> as new initializers.</summary>
    public void WriteBack(GraphProto graph)
    {
        var names = new GraphNames(graph);
        foreach (var layer in _layers.Where(l => l.Weights is not null))
        {
            // Gemm with transB 0 keeps its weight as [in, out].
            var stored = layer.Transposed ? Transpose(layer.Weights!, layer.Outputs, layer.Columns) : (float[])layer.Weights!.Clone();
            ChannelRemover.ReplaceWeights(graph, names, layer.Node, new RefittedWeights(layer.Dims, stored, (float[])layer.Bias!.Clone()));
        }
    }

    private (float[] Y, ChannelMajor Shape) ForwardLinear(Layer layer, float[] x, ChannelMajor xs)
    {
        if (xs.Channels * layer.KernelH * layer.KernelW != layer.Columns)
            throw new InvalidOperationException($"{layer.Node.OpType} '{layer.Node.Name}' reads {xs.Channels} channels, its weight {layer.Columns}");
        var unfold = new Im2Col(xs, layer.KernelH, layer.KernelW, layer.StrideH, layer.StrideW, layer.Pads[0], layer.Pads[1], layer.Pads[2], layer.Pads[3]);
        var ys = new ChannelMajor(layer.Outputs, xs.Batch, unfold.OutHeight, unfold.OutWidth);
        float[] columns;
        if (layer.KernelH * layer.KernelW == 1 && unfold.Columns == xs.Batch * xs.Plane) columns = x;
        else
        {
            columns = new float[unfold.Rows * unfold.Columns];
            unfold.Unfold(x, columns);
        }
        _columns[layer.Node] = columns;
        var y = new float[ys.Size];
        FloatGemm.Multiply(layer.Weights!, columns, y, layer.Outputs, layer.Columns, unfold.Columns);
        for (var o = 0; o < layer.Outputs; o++)
        {
            var b = layer.Bias![o];
            var row = y.AsSpan(o * unfold.Columns, unfold.Columns);
            for (var i = 0; i < row.Length; i++) row[i] += b;
        }
        return (y, ys);
    }

    private float[]? BackwardLinear(Layer layer, float[] g, bool needInput)
    {
        var columns = _columns[layer.Node];
        var count = columns.Length / layer.Columns;
        FloatGemm.MultiplyTransposedAdd(g, columns, layer.WeightGradient!, layer.Outputs, count, layer.Columns);
        for (var o = 0; o < layer.Outputs; o++)
        {
            double sum = 0;
            foreach (var v in g.AsSpan(o * count, count)) sum += v;
            layer.BiasGradient![o] += (float)sum;
        }
        if (!needInput) return null;
        var transposed = Transpose(layer.Weights!, layer.Outputs, layer.Columns);
        var dColumns = new float[columns.Length];
        FloatGemm.Multiply(transposed, g, dColumns, layer.Columns, layer.Outputs, count);
        var (_, xs) = _values[layer.Node.Input[0]];
        if (layer.KernelH * layer.KernelW == 1 && count == xs.Batch * xs.Plane) return dColumns;
        var dx = new float[xs.Size];
        new Im2Col(xs, layer.KernelH, layer.KernelW, layer.StrideH, layer.StrideW, layer.Pads[0], layer.Pads[1], layer.Pads[2], layer.Pads[3]).Fold(dColumns, dx);
        return dx;
    }

    // A Conv or Gemm whose weight (and bias) are float initializers read by this node alone, with attributes the engine handles.
    private static Layer? Trainable(NodeProto node, Dictionary<string, TensorProto> initializers, Dictionary<string, int> uses)
    {
        if (node.Input.Count < 2 || !initializers.TryGetValue(node.Input[1], out var weight) || weight.DataType != (int)TensorProto.Types.DataType.Float) return null;
        if (uses.GetValueOrDefault(node.Input[1]) != 1) return null;
        var hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        if (hasBias && (!initializers.TryGetValue(node.Input[2], out var biasTensor) || biasTensor.DataType != (int)TensorProto.Types.DataType.Float || uses.GetValueOrDefault(node.Input[2]) != 1)) return null;
        var dims = weight.Dims.ToArray();
        var values = TensorData.ReadFloats(weight);
        Layer layer;
        if (node.OpType == "Conv")
        {
            if (dims.Length != 4 || GraphEditor.IntAttribute(node, "group", 1) != 1) return null;
            if (GraphEditor.Attribute(node, "dilations") is { } d && d.Ints.Any(v => v != 1)) return null;
            if (GraphEditor.Attribute(node, "auto_pad") is { } autoPad && autoPad.S.ToStringUtf8() is not ("NOTSET" or "VALID")) return null;
            var strides = GraphEditor.Attribute(node, "strides")?.Ints.ToArray() ?? [1, 1];
            var pads = GraphEditor.Attribute(node, "pads")?.Ints.ToArray() ?? [0, 0, 0, 0];
            if (strides.Length != 2 || pads.Length != 4 || strides.Any(s => s < 1) || pads.Any(p => p < 0)) return null;
            layer = new Layer(node, Kind.Linear)
            {
                Dims = dims, Outputs = (int)dims[0], Columns = (int)(dims[1] * dims[2] * dims[3]), KernelH = (int)dims[2], KernelW = (int)dims[3],
                StrideH = (int)strides[0], StrideW = (int)strides[1], Pads = pads.Select(p => (int)p).ToArray(), Weights = values,
            };
        }
        else
        {
            if (dims.Length != 2 || GraphEditor.IntAttribute(node, "transA", 0) != 0
                || GraphEditor.FloatAttribute(node, "alpha", 1f) != 1f || GraphEditor.FloatAttribute(node, "beta", 1f) != 1f) return null;
            var transposed = GraphEditor.IntAttribute(node, "transB", 0) == 0;
            int outputs = (int)dims[transposed ? 1 : 0], columns = (int)dims[transposed ? 0 : 1];
            var effective = transposed ? Transpose(values, columns, outputs) : values;
            layer = new Layer(node, Kind.Linear)
            {
                Dims = dims, Outputs = outputs, Columns = columns, KernelH = 1, KernelW = 1, StrideH = 1, StrideW = 1, Pads = [0, 0, 0, 0],
                Weights = effective, Transposed = transposed,
            };
        }
        var bias = hasBias ? TensorData.ReadFloats(initializers[node.Input[2]]) : new float[layer.Outputs];
        if (bias.Length != layer.Outputs || values.Length != layer.Outputs * layer.Columns) return null;
        layer.Bias = bias;
        layer.WeightGradient = new float[values.Length];
        layer.BiasGradient = new float[bias.Length];
        // Steps are relative to the weights' size: one learning rate serves layers of any scale.
        layer.Scale = (float)Math.Sqrt(layer.Weights!.Sum(v => (double)v * v) / layer.Weights!.Length);
        return layer;
    }

    // [rows, columns] row-major to [columns, rows].
    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) result[(c * rows) + r] = values[(r * columns) + c];
        return result;
    }

    private enum Kind { Relu, Add, Linear }

    private sealed class Layer(NodeProto node, Kind kind)
    {
        public NodeProto Node { get; } = node;
        public Kind Kind { get; } = kind;
        public long[] Dims { get; init; } = [];
        public int Outputs { get; init; }
        public int Columns { get; init; }
        public int KernelH { get; init; }
        public int KernelW { get; init; }
        public int StrideH { get; init; }
        public int StrideW { get; init; }
        public int[] Pads { get; init; } = [];
        public bool Transposed { get; init; }
        public float[]? Weights { get; init; }
        public float[]? Bias { get; set; }
        public float[]? WeightGradient { get; set; }
        public float[]? BiasGradient { get; set; }
        public float Scale { get; set; }
    }
}
