using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Re-expresses the int8 weights of an already-quantized model as uint8, losslessly: <c>w + 128</c> with the zero
/// point moved by 128 gives the same integers once the zero point is subtracted, and ONNX Runtime then runs its
/// u8 x u8 kernels, which never saturate (ONNX Runtime's own <c>session.x64quantprecision</c> does this at load, on
/// x64 only and only when asked). As that transformer does, a weight whose values all lie in [-64, 64] stays int8:
/// it cannot saturate the u8 x s8 kernels, which are faster. Only weights read by integer operators whose activation
/// is uint8 are rewritten (ONNX Runtime has no s8 x u8 kernels).
/// </summary>
public static class UInt8WeightRewriter
{
    /// <summary>Where an operator reads its weight, the weight's zero point and its activation's zero point (-1: quantized inside the node).</summary>
    private sealed record WeightSlot(int Weight, int WeightZeroPoint, int ActivationZeroPoint);

    private static readonly Dictionary<string, WeightSlot> IntegerOperators = new(StringComparer.Ordinal)
    {
        ["QLinearConv"] = new(3, 5, 2),
        ["QLinearMatMul"] = new(3, 5, 2),
        ["ConvInteger"] = new(1, 3, 2),
        ["MatMulInteger"] = new(1, 3, 2),
        ["QGemm"] = new(3, 5, 2),
        ["MatMulIntegerToFloat"] = new(1, 5, 4),
        ["DynamicQuantizeMatMul"] = new(1, 3, -1),
    };

    /// <summary>Float operators whose input 1 is a weight that a DequantizeLinear may feed (ONNX Runtime fuses them to integer kernels).</summary>
    private static readonly HashSet<string> WeightReaders = new(StringComparer.Ordinal) { "Conv", "MatMul", "Gemm" };

    public const int SafeMagnitude = 64;

    /// <summary>Rewrites the model in place; returns the number of weight tensors rewritten.</summary>
    public static int Rewrite(ModelProto model)
    {
        var graph = model.Graph;
        OnnxGraph.HoistConstants(model);
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        foreach (var output in node.Output)
            producers[output] = node;

        var names = new GraphNames(graph);
        var slots = Slots(graph, initializers, producers)
            .Where(s => TensorData.ReadRawBytes(initializers[s.Node.Input[s.Slot.Weight]]).Any(b => Math.Abs((sbyte)b) > SafeMagnitude))
            .ToList();
        var readers = slots.GroupBy(s => s.Node.Input[s.Slot.Weight], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        // Counted before any input is redirected: a tensor only rewritten slots read is shifted in place.
        var consumers = GraphEditor.ConsumerCounts(graph);
        var zeroPointReaders = slots.Select(s => ZeroPointName(s.Node, s.Slot)).Where(n => n.Length > 0)
            .GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rewritten = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (node, slot) in slots)
        {
            var weightName = node.Input[slot.Weight];
            var zeroPointName = ZeroPointName(node, slot);
            if (!rewritten.TryGetValue(weightName, out var weight))
            {
                // In place (same name, same bytes) when only rewritten slots read it, so the file does not grow.
                weight = Shift(graph, initializers[weightName], names, inPlace: readers[weightName] == consumers[weightName]);
                rewritten[weightName] = weight;
                count++;
            }
            node.Input[slot.Weight] = weight;
            // One shifted zero point per name (a copy when a tensor that stays int8 shares it); an absent one gets its
            // own per weight (its shape follows the weight's scale).
            var zeroPointKey = zeroPointName.Length > 0 ? "zero point " + zeroPointName : "zero point of " + weightName;
            if (!rewritten.TryGetValue(zeroPointKey, out var zeroPoint))
            {
                zeroPoint = zeroPointName.Length > 0
                    ? Shift(graph, initializers[zeroPointName], names, inPlace: zeroPointReaders[zeroPointName] == consumers[zeroPointName])
                    : AddZeroPoint(graph, node, slot, initializers, names);
                rewritten[zeroPointKey] = zeroPoint;
            }
            while (node.Input.Count <= slot.WeightZeroPoint) node.Input.Add("");
            node.Input[slot.WeightZeroPoint] = zeroPoint;
        }
        if (count == 0) return 0;

        var read = GraphEditor.ConsumerCounts(graph);
        foreach (var unread in graph.Initializer.Where(t => !read.ContainsKey(t.Name) && !GraphEditor.IsGraphOutput(graph, t.Name)).ToList())
            GraphEditor.RemoveInitializer(graph, unread);
        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(model);
        return count;
    }

    /// <summary>Each (node, slot) whose weight is a constant int8 tensor read with a uint8 activation, in graph order.</summary>
    private static IEnumerable<(NodeProto Node, WeightSlot Slot)> Slots(GraphProto graph, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers)
    {
        var readersOf = graph.Node.SelectMany(n => n.Input.Distinct().Select(input => (input, n)))
            .ToLookup(p => p.input, p => p.n, StringComparer.Ordinal);
        foreach (var node in graph.Node.ToList())
        {
            if (IntegerOperators.TryGetValue(node.OpType, out var slot))
            {
                if (IsInt8Initializer(node, slot.Weight, initializers) && ActivationIsUInt8(node, slot.ActivationZeroPoint, initializers) && ZeroPointIsInt8OrAbsent(node, slot.WeightZeroPoint, initializers))
                    yield return (node, slot);
                continue;
            }
            // QDQ form: DequantizeLinear(int8 weight) -> Conv/MatMul/Gemm input 1, with a uint8 DequantizeLinear on input 0.
            if (node.OpType != "DequantizeLinear" || !IsInt8Initializer(node, 0, initializers) || !ZeroPointIsInt8OrAbsent(node, 2, initializers))
                continue;
            var readers = readersOf[node.Output[0]].ToList();
            var onlyWeightOfFloatKernels = readers.Count > 0 && readers.All(reader =>
                WeightReaders.Contains(reader.OpType) && reader.Input.Count > 1 && reader.Input[1] == node.Output[0]
                && reader.Input.IndexOf(node.Output[0]) == 1
                && producers.TryGetValue(reader.Input[0], out var activation) && activation.OpType == "DequantizeLinear"
                && ActivationIsUInt8(activation, 2, initializers));
            if (onlyWeightOfFloatKernels && !GraphEditor.IsGraphOutput(graph, node.Output[0]))
                yield return (node, new WeightSlot(0, 2, -1));
        }
    }

    private static string ZeroPointName(NodeProto node, WeightSlot slot) => slot.WeightZeroPoint < node.Input.Count ? node.Input[slot.WeightZeroPoint] : "";

    /// <summary>The int8 tensor shifted to uint8 (<c>w XOR 0x80</c> is <c>w + 128</c>); returns the name it is read by.</summary>
    private static string Shift(GraphProto graph, TensorProto tensor, GraphNames names, bool inPlace)
    {
        var shifted = TensorData.FromUInt8(inPlace ? tensor.Name : names.NextShort(), tensor.Dims.ToArray(), TensorData.ReadRawBytes(tensor).Select(b => (byte)(b ^ 0x80)).ToArray());
        if (inPlace)
            graph.Initializer[graph.Initializer.IndexOf(tensor)] = shifted;
        else
            graph.Initializer.Add(shifted);
        return shifted.Name;
    }

    /// <summary>An absent zero point is 0: 128 in uint8, per channel where the weight's scale is (QLinear ops' w_scale, DequantizeLinear's x_scale).</summary>
    private static string AddZeroPoint(GraphProto graph, NodeProto node, WeightSlot slot, Dictionary<string, TensorProto> initializers, GraphNames names)
    {
        var scaleIndex = node.OpType == "DequantizeLinear" ? 1 : slot.Weight + 1;
        var dims = initializers.TryGetValue(node.Input[scaleIndex], out var scale) ? scale.Dims.ToArray() : [];
        var count = (int)dims.Aggregate(1L, (product, d) => product * d);
        var zeroPoint = TensorData.FromUInt8(names.NextShort(), dims, Enumerable.Repeat((byte)128, count).ToArray());
        graph.Initializer.Add(zeroPoint);
        return zeroPoint.Name;
    }

    private static bool IsInt8Initializer(NodeProto node, int index, Dictionary<string, TensorProto> initializers) =>
        index < node.Input.Count && initializers.TryGetValue(node.Input[index], out var tensor) && tensor.DataType == (int)TensorProto.Types.DataType.Int8;

    private static bool ZeroPointIsInt8OrAbsent(NodeProto node, int index, Dictionary<string, TensorProto> initializers) =>
        index >= node.Input.Count || node.Input[index].Length == 0 || IsInt8Initializer(node, index, initializers);

    private static bool ActivationIsUInt8(NodeProto node, int zeroPointIndex, Dictionary<string, TensorProto> initializers) =>
        zeroPointIndex < 0
        || zeroPointIndex < node.Input.Count && initializers.TryGetValue(node.Input[zeroPointIndex], out var zeroPoint) && zeroPoint.DataType == (int)TensorProto.Types.DataType.Uint8;
}
