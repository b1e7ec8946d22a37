using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>How many things <see cref="QuantizedExportCleaner"/> changed, by kind.</summary>
public readonly record struct QuantizedExportCleanup(int HoistedConstants, int FoldedConstantOfShapes, int RemovedCasts)
{
    public int Total => HoistedConstants + FoldedConstantOfShapes + RemovedCasts;

    public override string ToString() =>
        $"{HoistedConstants} Constant nodes hoisted to initializers, {FoldedConstantOfShapes} ConstantOfShape folded, {RemovedCasts} no-op Casts removed";
}

/// <summary>
/// Cleans an already-quantized export without changing a single value (PyTorch's converted QAT export keeps every
/// tensor in a Constant node, computes each bias zero point with ConstantOfShape + Cast, and puts a Cast to uint8
/// between every uint8 QuantizeLinear and its DequantizeLinear). The Cast hides the QuantizeLinear/DequantizeLinear
/// pair from ONNX Runtime's QDQ fusion, so without the cleaning each Conv and Gemm runs in float.
/// </summary>
public static class QuantizedExportCleaner
{
    // A ConstantOfShape is folded only up to this many elements: its shape is read from the file, so it is bounded
    // before anything is allocated from it (bias zero points are one per output channel).
    private const long MaxFoldedElements = 1 << 20;

    public static QuantizedExportCleanup Clean(ModelProto model)
    {
        var hoisted = OnnxGraph.HoistConstants(model);
        var folded = FoldConstantOfShapes(model.Graph);
        var removed = RemoveNoOpCasts(model.Graph);
        return new QuantizedExportCleanup(hoisted, folded, removed);
    }

    /// <summary>ConstantOfShape of a constant shape becomes the initializer it computes.</summary>
    private static int FoldConstantOfShapes(GraphProto graph)
    {
        var folded = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "ConstantOfShape" || !IsDefaultDomain(node) || node.Input.Count != 1 || node.Output.Count != 1)
                continue;
            var shape = graph.Initializer.FirstOrDefault(t => t.Name == node.Input[0]);
            if (shape is null || shape.DataType != (int)TensorProto.Types.DataType.Int64 || shape.Dims.Count != 1)
                continue;
            var dims = TensorData.ReadInt64s(shape);
            if (dims.Any(d => d < 0) || !FitsLimit(dims))
                continue;
            var value = GraphEditor.Attribute(node, "value")?.T;
            // ONNX's default value is one float 0.
            var element = value is null ? new byte[4] : TensorData.ReadRawBytes(value);
            var dataType = value?.DataType ?? (int)TensorProto.Types.DataType.Float;
            if (value is not null && TensorData.ElementCount(value) != 1)
                continue;
            var count = dims.Aggregate(1L, (a, b) => a * b);
            var bytes = new byte[count * element.Length];
            for (var offset = 0; offset < bytes.Length; offset += element.Length)
                element.CopyTo(bytes, offset);
            var tensor = new TensorProto { Name = node.Output[0], DataType = dataType, RawData = Google.Protobuf.ByteString.CopyFrom(bytes) };
            tensor.Dims.AddRange(dims);
            graph.Initializer.Add(tensor);
            graph.Node.RemoveAt(i);
            i--;
            folded++;
            if (GraphEditor.ConsumerCount(graph, shape.Name) == 0 && !GraphEditor.IsGraphOutput(graph, shape.Name))
                GraphEditor.RemoveInitializer(graph, shape);
        }
        return folded;
    }

    private static bool FitsLimit(long[] dims)
    {
        var count = 1L;
        foreach (var d in dims)
        {
            if (d > 0 && count > MaxFoldedElements / d) return false;
            count *= d;
        }
        return count <= MaxFoldedElements;
    }

    /// <summary>
    /// A Cast to the element type its input already has does nothing: its consumers read the input instead. The type
    /// is known for initializers, graph inputs, declared value_info, and QuantizeLinear outputs (its zero point's type,
    /// uint8 without one). A Cast whose output is a graph output stays, so the signature keeps its names.
    /// </summary>
    private static int RemoveNoOpCasts(GraphProto graph)
    {
        var types = KnownTypes(graph);
        var removed = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "Cast" || !IsDefaultDomain(node) || node.Input.Count != 1 || node.Output.Count != 1
                || GraphEditor.IsGraphOutput(graph, node.Output[0]))
                continue;
            var to = GraphEditor.IntAttribute(node, "to", 0);
            if (!types.TryGetValue(node.Input[0], out var type) || type != to)
                continue;
            GraphEditor.RenameReads(graph, node.Output[0], node.Input[0]);
            types[node.Output[0]] = type;
            graph.Node.RemoveAt(i);
            i--;
            removed++;
        }
        if (removed > 0)
        {
            var read = GraphEditor.ConsumerCounts(graph);
            foreach (var unused in graph.ValueInfo.Where(v => !read.ContainsKey(v.Name) && !graph.Node.Any(n => n.Output.Contains(v.Name))).ToList())
                graph.ValueInfo.Remove(unused);
        }
        return removed;
    }

    private static Dictionary<string, long> KnownTypes(GraphProto graph)
    {
        var types = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var value in graph.Input.Concat(graph.ValueInfo))
        {
            if (value.Type?.TensorType is { } tensorType && tensorType.HasElemType)
                types[value.Name] = tensorType.ElemType;
        }
        foreach (var initializer in graph.Initializer)
            types[initializer.Name] = initializer.DataType;
        foreach (var node in graph.Node.Where(n => n.OpType == "QuantizeLinear" && IsDefaultDomain(n) && n.Output.Count == 1))
        {
            var zeroPoint = node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;
            if (zeroPoint is null)
                types[node.Output[0]] = (int)TensorProto.Types.DataType.Uint8;
            else if (types.TryGetValue(zeroPoint, out var zeroPointType))
                types[node.Output[0]] = zeroPointType;
        }
        return types;
    }

    private static bool IsDefaultDomain(NodeProto node) => node.Domain is "" or "ai.onnx";
}
