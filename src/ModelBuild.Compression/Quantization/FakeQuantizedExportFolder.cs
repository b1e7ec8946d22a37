using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Folds a fake-quantized QAT export (PyTorch before <c>convert</c>: float weights behind QuantizeLinear/DequantizeLinear,
/// Div/Add/BatchNormalization after each Conv, activations after MaxPool and ReLU left float) into the form ONNX
/// Runtime fuses into QLinearConv/QGemm, keeping the trained integers:
/// <list type="number">
/// <item>QuantizeLinear of a float weight becomes the int8 initializer it computes (ONNX Runtime's rule, float32).</item>
/// <item>Missing Q/DQ completed before a Conv/Gemm whose input comes from a DequantizeLinear through MaxPool, Relu,
/// Flatten or Reshape: with calibration data on the grid of the range measured there (the calibration static int8
/// uses: the export with its weights folded runs on the inputs, the method and activation type of the item's int8
/// options); without, on that DequantizeLinear's grid, which these operators keep values on, so the pair changes
/// nothing (and MB2008 says so).</item>
/// <item>The per-channel Div/Mul/Add/Sub/BatchNormalization behind each Conv folded into the weight scale (positive
/// factors only) and the bias; the bias then goes on the accumulator grid as int32 (input scale x weight scale), as
/// ONNX Runtime's fusion needs, at most half an accumulator step off.</item>
/// </list>
/// </summary>
public static class FakeQuantizedExportFolder
{
    private static readonly HashSet<string> GridKeepingOps = ["MaxPool", "Relu", "Flatten", "Reshape"];

    private static readonly HashSet<string> ChannelOps = ["Div", "Mul", "Add", "Sub", "BatchNormalization"];

    /// <summary>Folds <paramref name="model"/> in place; a model with no fake-quantized weight is left exactly as it was.</summary>
    /// <param name="model">The export.</param>
    /// <param name="calibration">Calibration inputs of the model's first input (batch 1), or null: missing Q/DQ then go on the neighbouring grids.</param>
    /// <param name="options">How to turn the measured ranges into grids (method, percentile, activation type).</param>
    /// <param name="progress">Receives the calibration's lines.</param>
    public static FakeQuantFolding Fold(ModelProto model, IEnumerable<ImageTensor>? calibration = null, StaticQuantizationOptions? options = null,
        IProgress<string>? progress = null)
    {
        var graph = model.Graph.Clone();
        ForwardInitializerIdentities(graph);
        var weights = FoldWeightQuantizers(graph);
        if (weights == 0)
            return FakeQuantFolding.None;
        var names = new GraphNames(graph);
        var ranges = calibration is null ? null : MeasureRanges(model, graph, calibration, options ?? new StaticQuantizationOptions(), progress);
        var completed = CompleteActivationQdq(graph, names, ranges, options ?? new StaticQuantizationOptions());
        var folded = 0;
        var biases = 0;
        foreach (var node in graph.Node.Where(n => n.OpType is "Conv" or "Gemm").ToList())
        {
            if (node.OpType == "Conv") folded += FoldChannelOps(graph, node, names);
            biases += QuantizeBias(graph, node, names) ? 1 : 0;
        }
        GraphEditor.RemoveUnusedInitializers(graph);
        model.Graph = graph;
        return new FakeQuantFolding(weights, folded, biases, completed) { CalibratedOn = ranges?.SampleCount ?? 0 };
    }

    /// <summary>The export with its weights folded (the same values) run on the calibration inputs, every float tensor observed.</summary>
    private static ActivationCalibration MeasureRanges(ModelProto model, GraphProto graph, IEnumerable<ImageTensor> calibration,
        StaticQuantizationOptions options, IProgress<string>? progress)
    {
        var observed = model.Clone();
        observed.Graph = graph.Clone();
        var inputName = OnnxGraph.RealInputs(observed.Graph)[0].Name;
        return ActivationCalibrator.Observe(observed,
            calibration.Select(input => (IReadOnlyDictionary<string, ImageTensor>)new Dictionary<string, ImageTensor> { [inputName] = input }), progress);
    }

    /// <summary>Identity of an initializer (PyTorch shares zero points so): its readers read the initializer.</summary>
    private static void ForwardInitializerIdentities(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var identity in graph.Node.Where(n => n.OpType == "Identity" && n.Input.Count == 1 && initializers.Contains(n.Input[0])
                     && !GraphEditor.IsGraphOutput(graph, n.Output[0])).ToList())
        {
            GraphEditor.RenameReads(graph, identity.Output[0], identity.Input[0]);
            graph.Node.Remove(identity);
        }
    }

    private static int FoldWeightQuantizers(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var folded = 0;
        foreach (var quantize in graph.Node.Where(n => n.OpType == "QuantizeLinear" && n.Input.Count == 3).ToList())
        {
            if (!initializers.TryGetValue(quantize.Input[0], out var weight) || weight.DataType != (int)DataType.Float
                || !initializers.TryGetValue(quantize.Input[1], out var scaleTensor) || !initializers.TryGetValue(quantize.Input[2], out var zeroTensor)
                || zeroTensor.DataType is not ((int)DataType.Int8 or (int)DataType.Uint8)
                || graph.Node.Any(n => n.Input.Contains(quantize.Output[0]) && n.OpType != "DequantizeLinear"))
                continue;
            var values = TensorData.ReadFloats(weight);
            var scales = TensorData.ReadFloats(scaleTensor);
            var zeros = TensorData.ReadRawBytes(zeroTensor);
            var signed = zeroTensor.DataType == (int)DataType.Int8;
            var dims = weight.Dims.ToArray();
            var axis = GraphEditor.IntAttribute(quantize, "axis", 1);
            if (axis < 0) axis += dims.Length;
            var channels = scales.Length == 1 ? 1 : axis >= 0 && axis < dims.Length ? dims[axis] : -1;
            if (channels != scales.Length || zeros.Length != scales.Length || scales.Any(scale => !(scale > 0) || float.IsInfinity(scale)))
                continue;
            var inner = scales.Length == 1 ? 1 : dims.Skip((int)axis + 1).Aggregate(1L, (a, b) => a * b);
            var (qMin, qMax) = signed ? (-128, 127) : (0, 255);
            var levels = new byte[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var c = (int)(i / inner % channels);
                int zero = signed ? (sbyte)zeros[c] : zeros[c];
                levels[i] = (byte)new QuantizationGrid(scales[c], zero, qMin, qMax).QuantizeOnnx(values[i]);
            }
            var integers = new TensorProto { Name = quantize.Output[0], DataType = zeroTensor.DataType, RawData = Google.Protobuf.ByteString.CopyFrom(levels) };
            integers.Dims.AddRange(dims);
            graph.Initializer.Add(integers);
            initializers[integers.Name] = integers;
            graph.Node.Remove(quantize);
            folded++;
        }
        return folded;
    }

    /// <summary>Q/DQ before each Conv/Gemm data input that a grid-keeping chain leads back to a DequantizeLinear: on
    /// the grid of the range measured there when <paramref name="ranges"/> has it, else on that DequantizeLinear's.</summary>
    private static List<string> CompleteActivationQdq(GraphProto graph, GraphNames names, ActivationCalibration? ranges, StaticQuantizationOptions options)
    {
        var completed = new List<string>();
        foreach (var consumer in graph.Node.Where(n => n.OpType is "Conv" or "Gemm").ToList())
        {
            var producers = Producers(graph);
            var input = consumer.Input[0];
            if (!producers.TryGetValue(input, out var producer) || producer.OpType == "DequantizeLinear" || !GridKeepingOps.Contains(producer.OpType))
                continue;
            var source = producer;
            while (source is not null && GridKeepingOps.Contains(source.OpType))
                source = producers.GetValueOrDefault(source.Input[0]);
            if (source is null || source.OpType != "DequantizeLinear" || source.Input.Count < 3)
                continue;
            var quantized = names.Next($"{input}_quantized");
            var dequantized = names.Next($"{input}_dequantized");
            var (scale, zeroPoint, grid) = (source.Input[1], source.Input[2], $"on the grid of '{source.Name}'");
            if (ranges is not null && ranges.IsFloatActivation(input))
            {
                var range = ranges.RangeOf(input, options.CalibrationMethod, options.Percentile);
                var (qMin, qMax) = QuantizationGrid.Grid(options.ActivationType);
                var measured = QuantizationGrid.Asymmetric(range, qMin, qMax);
                scale = names.Next($"{input}_scale");
                zeroPoint = names.Next($"{input}_zero_point");
                graph.Initializer.Add(TensorData.FromFloats(scale, [], [measured.StoredScale]));
                graph.Initializer.Add(ZeroPoint(zeroPoint, measured.ZeroPoint, options.ActivationType));
                grid = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"calibrated: range {range}, scale {measured.StoredScale:R}, zero point {measured.ZeroPoint}");
            }
            var index = graph.Node.IndexOf(consumer);
            graph.Node.Insert(index, NodeFactory.Node("DequantizeLinear", names.Next($"{input}_DequantizeLinear"), [quantized, scale, zeroPoint], dequantized));
            graph.Node.Insert(index, NodeFactory.Node("QuantizeLinear", names.Next($"{input}_QuantizeLinear"), [input, scale, zeroPoint], quantized));
            consumer.Input[0] = dequantized;
            completed.Add($"{consumer.Name} (after {producer.OpType} '{producer.Name}', {grid})");
        }
        return completed;
    }

    private static TensorProto ZeroPoint(string name, int value, ActivationType type) => new()
    {
        Name = name,
        DataType = type == ActivationType.UInt8 ? (int)DataType.Uint8 : (int)DataType.Int8,
        RawData = Google.Protobuf.ByteString.CopyFrom((byte)value),
    };

    /// <summary>y * k + b per output channel behind the Conv, folded into its weight scale and float bias.</summary>
    private static int FoldChannelOps(GraphProto graph, NodeProto conv, GraphNames names)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = Producers(graph);
        if (!producers.TryGetValue(conv.Input[1], out var weightDq) || weightDq.OpType != "DequantizeLinear"
            || !initializers.TryGetValue(weightDq.Input[0], out var integers) || !initializers.TryGetValue(weightDq.Input[1], out var scaleTensor))
            return 0;
        // Per output channel only (DequantizeLinear's axis defaults to 1, the input channels of a Conv weight).
        if (integers.Dims.Count == 0 || GraphEditor.IntAttribute(weightDq, "axis", 1) != 0) return 0;
        var channels = (int)integers.Dims[0];
        var scales = TensorData.ReadFloats(scaleTensor);
        if (scales.Length != channels) return 0;
        var factor = Enumerable.Repeat(1.0, channels).ToArray();
        var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0
            ? initializers.TryGetValue(conv.Input[2], out var b) ? TensorData.ReadFloats(b).Select(v => (double)v).ToArray() : null
            : new double[channels];
        if (bias is null || bias.Length != channels) return 0;
        var output = conv.Output[0];
        var absorbed = new List<NodeProto>();
        while (true)
        {
            var consumers = graph.Node.Where(n => n.Input.Contains(output)).ToList();
            if (consumers.Count != 1 || GraphEditor.IsGraphOutput(graph, output)) break;
            var next = consumers[0];
            if (!ChannelOps.Contains(next.OpType) || next.Input[0] != output || !Absorb(next, initializers, factor, bias)) break;
            absorbed.Add(next);
            output = next.Output[0];
        }
        if (absorbed.Count == 0 || factor.Any(f => !(f > 0))) return 0;
        var newScales = scales.Select((s, c) => (float)(s * factor[c])).ToArray();
        var scaleName = names.Next($"{scaleTensor.Name}_folded");
        graph.Initializer.Add(TensorData.FromFloats(scaleName, scaleTensor.Dims.ToArray(), newScales));
        weightDq.Input[1] = scaleName;
        var biasName = names.Next($"{conv.Name}_folded_bias");
        graph.Initializer.Add(TensorData.FromFloats(biasName, [channels], bias.Select(v => (float)v).ToArray()));
        while (conv.Input.Count < 3) conv.Input.Add("");
        conv.Input[2] = biasName;
        conv.Output[0] = output;
        foreach (var node in absorbed) graph.Node.Remove(node);
        return absorbed.Count;
    }

    /// <summary>One per-channel op applied to y * factor + bias; false when its operands are not per-channel constants.</summary>
    private static bool Absorb(NodeProto node, Dictionary<string, TensorProto> initializers, double[] factor, double[] bias)
    {
        var channels = factor.Length;
        double[]? Operand(int index) =>
            node.Input.Count > index && initializers.TryGetValue(node.Input[index], out var t) && t.DataType == (int)DataType.Float
            && PerChannel(t, channels) ? TensorData.ReadFloats(t).Select(v => (double)v).ToArray() : null;
        if (node.OpType == "BatchNormalization")
        {
            if (node.Input.Count != 5 || node.Output.Count != 1) return false;
            var (gamma, beta, mean, variance) = (Operand(1), Operand(2), Operand(3), Operand(4));
            if (gamma is null || beta is null || mean is null || variance is null) return false;
            var epsilon = GraphEditor.FloatAttribute(node, "epsilon", 1e-5f);
            for (var c = 0; c < channels; c++)
            {
                var f = gamma[c] / Math.Sqrt(variance[c] + epsilon);
                factor[c] *= f;
                bias[c] = ((bias[c] - mean[c]) * f) + beta[c];
            }
            return true;
        }
        var operand = Operand(1);
        if (node.Input.Count != 2 || operand is null) return false;
        for (var c = 0; c < channels; c++)
        {
            switch (node.OpType)
            {
                case "Div": factor[c] /= operand[c]; bias[c] /= operand[c]; break;
                case "Mul": factor[c] *= operand[c]; bias[c] *= operand[c]; break;
                case "Add": bias[c] += operand[c]; break;
                default: bias[c] -= operand[c]; break;
            }
        }
        return true;
    }

    /// <summary>A [C], [C,1,1] or [1,C,1,1] tensor: one value per channel of an NCHW output (or a 1-D BatchNorm input).</summary>
    private static bool PerChannel(TensorProto tensor, int channels) =>
        TensorData.ElementCount(tensor) == channels
        && (tensor.Dims.Count == 1 || (tensor.Dims.Count == 3 && tensor.Dims[0] == channels) || (tensor.Dims.Count == 4 && tensor.Dims[1] == channels));

    /// <summary>A float bias becomes int32 on the accumulator grid behind a DequantizeLinear, as the fusion needs.</summary>
    private static bool QuantizeBias(GraphProto graph, NodeProto node, GraphNames names)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = Producers(graph);
        if (node.Input.Count < 3 || !initializers.TryGetValue(node.Input[2], out var biasTensor) || biasTensor.DataType != (int)DataType.Float
            || !producers.TryGetValue(node.Input[0], out var inputDq) || inputDq.OpType != "DequantizeLinear"
            || !producers.TryGetValue(node.Input[1], out var weightDq) || weightDq.OpType != "DequantizeLinear"
            || !initializers.TryGetValue(inputDq.Input[1], out var inputScaleTensor) || !initializers.TryGetValue(weightDq.Input[1], out var weightScaleTensor)
            || (node.OpType == "Gemm" && (GraphEditor.IntAttribute(node, "transB", 0) != 1 || GraphEditor.FloatAttribute(node, "beta", 1f) != 1f || GraphEditor.FloatAttribute(node, "alpha", 1f) != 1f)))
            return false;
        var bias = TensorData.ReadFloats(biasTensor);
        var inputScale = TensorData.ReadFloats(inputScaleTensor);
        var weightScales = TensorData.ReadFloats(weightScaleTensor);
        if (inputScale.Length != 1 || (weightScales.Length != 1 && (weightScales.Length != bias.Length || GraphEditor.IntAttribute(weightDq, "axis", 1) != 0)))
            return false;
        var scales = bias.Select((_, c) => inputScale[0] * weightScales[weightScales.Length == 1 ? 0 : c]).ToArray();
        if (scales.Any(s => !(s > 0))) return false;
        var levels = bias.Select((v, c) => (int)Math.Clamp(Math.Round((double)v / scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue)).ToArray();
        var levelsName = names.Next($"{biasTensor.Name}_quantized");
        var scaleName = names.Next($"{biasTensor.Name}_scale");
        var dequantized = names.Next($"{biasTensor.Name}_dequantized");
        graph.Initializer.Add(TensorData.FromInt32(levelsName, [bias.Length], levels));
        graph.Initializer.Add(TensorData.FromFloats(scaleName, [bias.Length], scales));
        graph.Node.Insert(graph.Node.IndexOf(node), NodeFactory.Node("DequantizeLinear", names.Next($"{biasTensor.Name}_DequantizeLinear"), [levelsName, scaleName], dequantized,
            new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 }));
        node.Input[2] = dequantized;
        return true;
    }

    private static Dictionary<string, NodeProto> Producers(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Output.Where(o => o.Length > 0).Select(o => (Output: o, Node: n))).DistinctBy(p => p.Output).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
}
