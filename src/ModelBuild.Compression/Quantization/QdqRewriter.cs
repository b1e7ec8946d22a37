using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using AttributeType = ModelBuild.Onnx.Protobuf.AttributeProto.Types.AttributeType;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Rewrites a calibrated float graph into QDQ form, the layout ONNX Runtime turns into integer kernels
/// (DequantizeLinear -> Conv -> QuantizeLinear becomes QLinearConv, and so on for Gemm, MatMul, Add, Mul, pooling and
/// Concat): each activation touching a quantized node gets one QuantizeLinear/DequantizeLinear pair, weights are
/// stored quantized per channel behind a DequantizeLinear, biases as int32.
/// </summary>
internal sealed class QdqRewriter
{
    private static readonly HashSet<string> ComputeOps = new(StringComparer.Ordinal) { "Conv", "Gemm", "MatMul", "Add", "Mul", "Concat", "AveragePool", "GlobalAveragePool" };

    /// <summary>Operators that move or select values without computing new ones: their output keeps the input's grid, so ONNX Runtime can run them on the integers.</summary>
    private static readonly HashSet<string> PassThroughOps = new(StringComparer.Ordinal) { "MaxPool", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze" };

    /// <summary>Operators whose trailing Relu/Clip folds into the output quantization.</summary>
    private static readonly HashSet<string> ActivationAbsorbingOps = new(StringComparer.Ordinal) { "Conv", "Gemm", "MatMul", "Add" };

    private readonly GraphProto graph;
    private readonly ActivationCalibration calibration;
    private readonly StaticQuantizationOptions options;
    private readonly GraphNames names;
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly Dictionary<string, QuantizationGrid> activationGrids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorRange> activationRanges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PerChannelWeights> quantizedWeights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> dequantizedWeightNames = new(StringComparer.Ordinal);
    private readonly List<NodeProto> prelude = [];
    private readonly Dictionary<int, string> scaleInitializers = [];
    private readonly Dictionary<int, string> zeroPointInitializers = [];

    public QdqRewriter(ModelProto model, ActivationCalibration calibration, StaticQuantizationOptions options, GraphNames names)
    {
        graph = model.Graph;
        this.calibration = calibration;
        this.options = options;
        this.names = names;
        initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <returns>The names of the quantized nodes.</returns>
    public IReadOnlyList<string> Rewrite()
    {
        var computeNodes = graph.Node.Where(IsQuantizableCompute).ToList();
        AbsorbActivations(computeNodes);

        // Grids: every float activation read or written by a compute node has its own (from calibration); a
        // pass-through output whose input is quantized shares its input's grid.
        // By reference: protobuf messages compare by value, and these nodes are edited while in the set.
        var quantized = new HashSet<NodeProto>(computeNodes, ReferenceEqualityComparer.Instance);
        foreach (var node in computeNodes)
        {
            foreach (var name in node.Input.Where(calibration.IsFloatActivation).Append(node.Output[0]))
                AddOwnGrid(name);
        }
        foreach (var node in graph.Node.Where(n => PassThroughOps.Contains(n.OpType) && IsIncluded(n)))
        {
            if (node.Input.Count > 0 && activationGrids.TryGetValue(node.Input[0], out var inputGrid) && calibration.IsFloatActivation(node.Output[0]))
            {
                activationGrids[node.Output[0]] = inputGrid;
                activationRanges.Remove(node.Output[0]);
                quantized.Add(node);
            }
        }

        foreach (var node in computeNodes)
            QuantizeConstantInputs(node);
        InsertActivationPairs();
        RemoveUnreadInitializers();
        return graph.Node.Where(quantized.Contains).Select(n => n.Name.Length > 0 ? n.Name : n.Output[0]).ToList();
    }

    public IReadOnlyDictionary<string, TensorRange> ActivationRanges => activationRanges;

    private bool IsIncluded(NodeProto node) =>
        node.Domain is "" or "ai.onnx" && !options.Excludes(node);

    private bool IsFloatInitializer(string name) => initializers.TryGetValue(name, out var t) && t.DataType == (int)DataType.Float;

    private bool IsQuantizableCompute(NodeProto node)
    {
        if (!ComputeOps.Contains(node.OpType) || !IsIncluded(node) || node.Output.Count != 1 || !calibration.IsFloatActivation(node.Output[0]))
            return false;
        var inputs = node.Input;
        return node.OpType switch
        {
            "Conv" => calibration.IsFloatActivation(inputs[0]) && IsFloatInitializer(inputs[1]) && initializers[inputs[1]].Dims.Count >= 3
                && (inputs.Count < 3 || inputs[2].Length == 0 || IsFloatInitializer(inputs[2])),
            "Gemm" => GraphEditor.IntAttribute(node, "transA", 0) == 0 && calibration.IsFloatActivation(inputs[0])
                && IsFloatInitializer(inputs[1]) && initializers[inputs[1]].Dims.Count == 2,
            "MatMul" => calibration.IsFloatActivation(inputs[0])
                && (calibration.IsFloatActivation(inputs[1]) || (IsFloatInitializer(inputs[1]) && initializers[inputs[1]].Dims.Count == 2)),
            "Add" or "Mul" or "Concat" => inputs.All(i => calibration.IsFloatActivation(i) || IsFloatInitializer(i)) && inputs.Any(calibration.IsFloatActivation),
            _ => calibration.IsFloatActivation(inputs[0]),
        };
    }

    /// <summary>
    /// A Relu, or a Clip from 0 (Relu6), that is the only reader of a quantized node's output is removed and the node
    /// writes its output instead: the output grid, calibrated on the Relu/Clip output, starts exactly at 0 and ends
    /// at or below the Clip's maximum, so QuantizeLinear's saturation does the clipping, as in ONNX Runtime's own quantizer.
    /// The pair then reads DequantizeLinear -> Conv -> QuantizeLinear, which ONNX Runtime fuses.
    /// </summary>
    private void AbsorbActivations(List<NodeProto> computeNodes)
    {
        var readers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input.Distinct())
            {
                if (!readers.TryGetValue(input, out var list)) readers[input] = list = [];
                list.Add(node);
            }
        }
        foreach (var node in computeNodes.Where(n => ActivationAbsorbingOps.Contains(n.OpType)))
        {
            var output = node.Output[0];
            if (!readers.TryGetValue(output, out var list) || list.Count != 1 || GraphEditor.IsGraphOutput(graph, output))
                continue;
            var activation = list[0];
            if (!IsIncluded(activation) || !IsAbsorbable(activation) || !calibration.IsFloatActivation(activation.Output[0]))
                continue;
            node.Output[0] = activation.Output[0];
            graph.Node.Remove(activation);
        }
    }

    private bool IsAbsorbable(NodeProto activation)
    {
        if (activation.OpType == "Relu")
            return true;
        if (activation.OpType != "Clip" || activation.Input.Count < 3)
            return false;
        var bounds = activation.Input.Skip(1).Take(2).ToArray();
        if (bounds.Any(b => !IsFloatInitializer(b)))
            return false;
        var (min, max) = (TensorData.ReadFloats(initializers[bounds[0]])[0], TensorData.ReadFloats(initializers[bounds[1]])[0]);
        // Only a lower bound of exactly 0 is exact: the grid's lowest level is then 0 itself (zero point = qmin); a
        // negative bound would be matched only to within half a step, and a positive one not at all.
        return min == 0 && max > 0;
    }

    private void AddOwnGrid(string name)
    {
        if (activationGrids.ContainsKey(name))
            return;
        var range = calibration.RangeOf(name, options.CalibrationMethod, options.Percentile);
        var (qMin, qMax) = QuantizationGrid.Grid(options.ActivationType);
        activationGrids[name] = QuantizationGrid.Asymmetric(range, qMin, qMax);
        activationRanges[name] = range;
    }

    /// <summary>Weights (per channel), biases (int32) and constant operands of Add/Mul/Concat (per tensor) go behind a DequantizeLinear.</summary>
    private void QuantizeConstantInputs(NodeProto node)
    {
        var weightAxis = node.OpType switch
        {
            "Conv" => 0,
            "Gemm" => GraphEditor.IntAttribute(node, "transB", 0) != 0 ? 0 : 1,
            "MatMul" when IsFloatInitializer(node.Input[1]) => 1,
            _ => -1,
        };
        if (weightAxis < 0)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (IsFloatInitializer(node.Input[i]))
                    node.Input[i] = DequantizedConstant(initializers[node.Input[i]]);
            }
            return;
        }

        var weightName = node.Input[1];
        var lowBit = options.LowBitWeights.GetValueOrDefault(weightName);
        var format = lowBit is not null
            ? (options.WeightFormat == WeightFormat.UInt8 ? WeightFormat.UInt8 : WeightFormat.Int8)
            : PerChannelWeights.Resolve(options.WeightFormat, initializers[weightName], weightAxis, node.OpType == "Conv" && IsDepthwise(node, initializers[weightName]));
        var weights = Weights(initializers[weightName], weightAxis, node.OpType == "Gemm", format, lowBit, out var dequantized);
        node.Input[1] = dequantized;
        var hasBias = node.Input.Count > 2 && IsFloatInitializer(node.Input[2]);
        var biasFits = hasBias && initializers[node.Input[2]].Dims.Count == 1 && initializers[node.Input[2]].Dims[0] == weights.Scales.Length
            && GraphEditor.FloatAttribute(node, "beta", 1f) == 1f && GraphEditor.FloatAttribute(node, "alpha", 1f) == 1f;
        if (biasFits)
            node.Input[2] = DequantizedBias(initializers[node.Input[2]], activationGrids[node.Input[0]], weights);
    }

    // Depthwise: one input channel per group and as many groups as outputs (ONNX Runtime's depthwise kernels).
    private static bool IsDepthwise(NodeProto conv, TensorProto weight) =>
        weight.Dims.Count >= 3 && weight.Dims[1] == 1 && GraphEditor.IntAttribute(conv, "group", 1) == weight.Dims[0] && weight.Dims[0] > 1;

    /// <summary>
    /// The weight quantized per channel behind its DequantizeLinear, made once per weight and axis. A signed weight's
    /// zero point is 0, DequantizeLinear's default, so it is left out, except for Gemm: ONNX Runtime fills in a missing
    /// zero point when it fuses Conv or MatMul, but its QGemm fusion takes the weight's inputs as they are and, without
    /// one, leaves the Gemm in float.
    /// </summary>
    private PerChannelWeights Weights(TensorProto weight, int axis, bool forGemm, WeightFormat format, LowBitGrid? lowBit, out string dequantized)
    {
        var key = $"{weight.Name}/{axis}/{forGemm}/{format}";
        if (quantizedWeights.TryGetValue(key, out var existing))
        {
            dequantized = dequantizedWeightNames[key];
            return existing;
        }
        var quantized = PerChannelWeights.Quantize(weight, axis, format, names.Next($"{weight.Name}_quantized"), names.Next($"{weight.Name}_zero_point"), lowBit);
        var scale = TensorData.FromFloats(names.Next($"{weight.Name}_scale"), [quantized.Scales.Length], quantized.Scales);
        dequantized = names.Next($"{weight.Name}_dequantized");
        var zeroPoint = forGemm || format == WeightFormat.UInt8 ? quantized.ZeroPoints : null;
        graph.Initializer.Add(quantized.Values);
        graph.Initializer.Add(scale);
        if (zeroPoint is not null) graph.Initializer.Add(zeroPoint);
        prelude.Add(Dequantize(quantized.Values.Name, scale.Name, zeroPoint?.Name, dequantized, axis));
        quantizedWeights[key] = quantized;
        dequantizedWeightNames[key] = dequantized;
        return quantized;
    }

    /// <summary>
    /// int32 with scale input_scale * weight_scale[c] and zero point 0 (left out: DequantizeLinear's default): the
    /// accumulator's own grid, so the integer kernel adds it directly.
    /// </summary>
    private string DequantizedBias(TensorProto bias, QuantizationGrid input, PerChannelWeights weights)
    {
        var values = TensorData.ReadFloats(bias);
        var scales = weights.Scales.Select(s => input.StoredScale * s).ToArray();
        var levels = new int[values.Length];
        for (var c = 0; c < values.Length; c++)
            levels[c] = (int)Math.Clamp(Math.Round((double)values[c] / scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        var quantized = TensorData.FromInt32(names.Next($"{bias.Name}_quantized"), [values.Length], levels);
        var scale = TensorData.FromFloats(names.Next($"{bias.Name}_scale"), [values.Length], scales);
        graph.Initializer.Add(quantized);
        graph.Initializer.Add(scale);
        var output = names.Next($"{bias.Name}_dequantized");
        prelude.Add(Dequantize(quantized.Name, scale.Name, null, output, 0));
        return output;
    }

    /// <summary>A constant operand of Add/Mul/Concat on the activation type, per tensor over its own min and max.</summary>
    private string DequantizedConstant(TensorProto constant)
    {
        var values = TensorData.ReadFloats(constant);
        var range = new TensorRange(values.Min(), values.Max());
        var (qMin, qMax) = QuantizationGrid.Grid(options.ActivationType);
        var grid = QuantizationGrid.Asymmetric(range, qMin, qMax);
        var levels = values.Select(grid.QuantizeOnnx).ToArray();
        var quantized = IntegerTensor(names.Next($"{constant.Name}_quantized"), constant.Dims.ToArray(), levels);
        graph.Initializer.Add(quantized);
        var (scale, zeroPoint) = AddGridInitializers(constant.Name, grid);
        var output = names.Next($"{constant.Name}_dequantized");
        prelude.Add(Dequantize(quantized.Name, scale, zeroPoint, output, null));
        return output;
    }

    private void InsertActivationPairs()
    {
        var graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var pairsAfter = new Dictionary<NodeProto, List<NodeProto>>(ReferenceEqualityComparer.Instance);
        foreach (var (tensor, grid) in activationGrids)
        {
            var (scale, zeroPoint) = AddGridInitializers(tensor, grid);
            var quantizedName = names.Next($"{tensor}_quantized");
            if (graphInputs.Contains(tensor))
            {
                var dequantized = names.Next($"{tensor}_dequantized");
                foreach (var node in graph.Node)
                {
                    for (var i = 0; i < node.Input.Count; i++)
                        if (node.Input[i] == tensor) node.Input[i] = dequantized;
                }
                prelude.Add(NodeFactory.Node("QuantizeLinear", quantizedName, [tensor, scale, zeroPoint], quantizedName));
                prelude.Add(Dequantize(quantizedName, scale, zeroPoint, dequantized, null));
                continue;
            }
            // The producer writes a new name; the pair ends on the original one, so readers and graph outputs are unchanged.
            var producer = graph.Node.First(n => n.Output.Contains(tensor));
            var floatName = names.Next($"{tensor}_float");
            producer.Output[producer.Output.IndexOf(tensor)] = floatName;
            if (!pairsAfter.TryGetValue(producer, out var list)) pairsAfter[producer] = list = [];
            list.Add(NodeFactory.Node("QuantizeLinear", quantizedName, [floatName, scale, zeroPoint], quantizedName));
            list.Add(Dequantize(quantizedName, scale, zeroPoint, tensor, null));
        }

        var nodes = graph.Node.ToList();
        graph.Node.Clear();
        graph.Node.AddRange(prelude);
        foreach (var node in nodes)
        {
            graph.Node.Add(node);
            if (pairsAfter.TryGetValue(node, out var pair)) graph.Node.AddRange(pair);
        }
    }

    /// <summary>
    /// A scale and a zero point initializer of these values, shared with every earlier grid of the same values: a
    /// pass-through output is on its input's grid, and Relu outputs all have zero point 0. ONNX Runtime shares equal
    /// scalar initializers when it loads the model anyway; stored once, the file is smaller.
    /// </summary>
    private (string Scale, string ZeroPoint) AddGridInitializers(string tensor, QuantizationGrid grid)
    {
        if (!scaleInitializers.TryGetValue(BitConverter.SingleToInt32Bits(grid.StoredScale), out var scale))
        {
            scale = names.Next($"{tensor}_scale");
            graph.Initializer.Add(TensorData.FromFloats(scale, [], [grid.StoredScale]));
            scaleInitializers[BitConverter.SingleToInt32Bits(grid.StoredScale)] = scale;
        }
        if (!zeroPointInitializers.TryGetValue(grid.ZeroPoint, out var zeroPoint))
        {
            zeroPoint = names.Next($"{tensor}_zero_point");
            graph.Initializer.Add(IntegerTensor(zeroPoint, [], [grid.ZeroPoint]));
            zeroPointInitializers[grid.ZeroPoint] = zeroPoint;
        }
        return (scale, zeroPoint);
    }

    private TensorProto IntegerTensor(string name, long[] dims, int[] levels) => options.ActivationType == ActivationType.UInt8
        ? TensorData.FromUInt8(name, dims, levels.Select(l => (byte)l).ToArray())
        : TensorData.FromInt8(name, dims, levels.Select(l => (sbyte)l).ToArray());

    /// <summary>A DequantizeLinear; a null <paramref name="zeroPoint"/> means 0 of the input's own type (signed weights, int32 biases).</summary>
    private NodeProto Dequantize(string input, string scale, string? zeroPoint, string output, int? axis)
    {
        // Named apart from its output: node names must be unique, and a rewritten node may already carry the value's name.
        var name = names.Next($"{output}_dequantize");
        string[] inputs = zeroPoint is null ? [input, scale] : [input, scale, zeroPoint];
        return axis is { } value
            ? NodeFactory.Node("DequantizeLinear", name, inputs, output, new AttributeProto { Name = "axis", Type = AttributeType.Int, I = value })
            : NodeFactory.Node("DequantizeLinear", name, inputs, output);
    }

    private void RemoveUnreadInitializers()
    {
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unread in graph.Initializer.Where(t => !read.Contains(t.Name) && !GraphEditor.IsGraphOutput(graph, t.Name)).ToList())
            GraphEditor.RemoveInitializer(graph, unread);
    }
}
