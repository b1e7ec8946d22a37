using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// The layers the second-order steps work on: 2-D Conv (explicit or VALID padding), Gemm without transA and MatMul
/// with a constant right operand, each with a float initializer weight read by that node alone (a shared weight
/// would be repaired for one reader's inputs only).
/// </summary>
internal static class LinearLayers
{
    public static IReadOnlyList<LinearLayer> Find(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var readers = GraphEditor.ConsumerCounts(graph);
        var layers = new List<LinearLayer>();
        foreach (var node in graph.Node)
        {
            if (node.Domain is not ("" or "ai.onnx") || node.Input.Count < 2 || node.Output.Count != 1
                || !initializers.TryGetValue(node.Input[1], out var weight) || weight.DataType != (int)DataType.Float
                || readers.GetValueOrDefault(node.Input[1]) != 1 || initializers.ContainsKey(node.Input[0]))
                continue;
            var layer = node.OpType switch
            {
                "Conv" => ConvLayer(node, weight),
                "Gemm" when GraphEditor.IntAttribute(node, "transA", 0) == 0 && weight.Dims.Count == 2 => MatrixLayer(node, weight),
                "MatMul" when weight.Dims.Count == 2 => MatrixLayer(node, weight),
                _ => null,
            };
            if (layer is not null) layers.Add(layer);
        }
        return layers;
    }

    private static LinearLayer MatrixLayer(NodeProto node, TensorProto weight)
    {
        var layer = new LinearLayer(node, weight.Name, 0, 0, 1, null);
        var (rows, columns) = layer.Transposed ? (weight.Dims[1], weight.Dims[0]) : (weight.Dims[0], weight.Dims[1]);
        return layer with { Rows = checked((int)rows), Columns = checked((int)columns) };
    }

    private static LinearLayer? ConvLayer(NodeProto node, TensorProto weight)
    {
        if (weight.Dims.Count != 4) return null;
        var autoPad = GraphEditor.Attribute(node, "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER" or "")) return null;
        var groups = checked((int)GraphEditor.IntAttribute(node, "group", 1));
        var (outputs, perGroup, kh, kw) = (checked((int)weight.Dims[0]), checked((int)weight.Dims[1]), checked((int)weight.Dims[2]), checked((int)weight.Dims[3]));
        if (groups < 1 || outputs % groups != 0) return null;
        var strides = Ints(node, "strides", 2, 1);
        var dilations = Ints(node, "dilations", 2, 1);
        var pads = autoPad is "NOTSET" or "" ? Ints(node, "pads", 4, 0) : [0, 0, 0, 0];
        if (strides is null || dilations is null || pads is null) return null;
        var geometry = new ConvGeometry(perGroup, kh, kw, strides[0], strides[1], dilations[0], dilations[1], pads[0], pads[1], pads[2], pads[3], autoPad);
        return new LinearLayer(node, weight.Name, outputs, checked(perGroup * kh * kw), groups, geometry);
    }

    /// <summary>The attribute's ints, <paramref name="count"/> of them (the default when absent), or null when it has another count.</summary>
    private static int[]? Ints(NodeProto node, string name, int count, int fallback)
    {
        var attribute = GraphEditor.Attribute(node, name);
        if (attribute is null || attribute.Ints.Count == 0) return Enumerable.Repeat(fallback, count).ToArray();
        return attribute.Ints.Count == count ? attribute.Ints.Select(i => checked((int)i)).ToArray() : null;
    }
}
