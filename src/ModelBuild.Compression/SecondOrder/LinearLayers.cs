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
        if (ConvGeometry.Of(node, weight) is not { } geometry) return null;
        var groups = checked((int)GraphEditor.IntAttribute(node, "group", 1));
        var outputs = checked((int)weight.Dims[0]);
        if (groups < 1 || outputs % groups != 0) return null;
        return new LinearLayer(node, weight.Name, outputs, checked(geometry.InputChannelsPerGroup * geometry.KernelHeight * geometry.KernelWidth), groups, geometry);
    }
}
