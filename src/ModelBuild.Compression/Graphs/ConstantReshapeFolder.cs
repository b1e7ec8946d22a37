using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Graphs;

/// <summary>
/// Folds <c>Reshape(initializer, constant shape)</c> into an initializer of the new shape. Exporters such as CNTK
/// (the MNIST model) reshape a 4-D weight into the 2-D matrix a MatMul reads; folded, the MatMul sees its weight
/// directly and can be quantized. The values are not touched, only the dimensions.
/// </summary>
internal static class ConstantReshapeFolder
{
    /// <summary>Reshape takes its shape as an input from opset 5; before that it was an attribute.</summary>
    public const long MinOpset = 5;

    public static int Fold(ModelProto model)
    {
        var graph = model.Graph;
        if (OnnxGraph.OpsetVersion(model) < MinOpset) return 0;
        var folded = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "Reshape" || !(node.Domain is "" or "ai.onnx") || node.Input.Count != 2 || node.Output.Count != 1)
                continue;
            var data = graph.Initializer.FirstOrDefault(t => t.Name == node.Input[0]);
            var shape = graph.Initializer.FirstOrDefault(t => t.Name == node.Input[1]);
            if (data is null || shape is null || shape.DataType != (int)DataType.Int64
                || GraphEditor.ConsumerCount(graph, data.Name) != 1 || GraphEditor.IsGraphOutput(graph, data.Name))
                continue;
            var dims = TargetDims(data, TensorData.ReadInt64s(shape), GraphEditor.IntAttribute(node, "allowzero", 0) != 0);
            if (dims is null) continue;

            var reshaped = data.Clone();
            reshaped.Name = node.Output[0];
            reshaped.Dims.Clear();
            reshaped.Dims.AddRange(dims);
            graph.Node.RemoveAt(i--);
            GraphEditor.RemoveInitializer(graph, data);
            graph.Initializer.Add(reshaped);
            if (GraphEditor.ConsumerCount(graph, shape.Name) == 0 && !GraphEditor.IsGraphOutput(graph, shape.Name))
                GraphEditor.RemoveInitializer(graph, shape);
            folded++;
        }
        if (folded > 0) OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(model);
        return folded;
    }

    /// <summary>Reshape's rules: 0 copies the input's dimension (unless allowzero), one -1 takes what is left.</summary>
    private static long[]? TargetDims(TensorProto data, long[] shape, bool allowZero)
    {
        var count = TensorData.ElementCount(data);
        var dims = new long[shape.Length];
        var inferred = -1;
        long known = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            dims[d] = shape[d] switch
            {
                0 when !allowZero => d < data.Dims.Count ? data.Dims[d] : -2,
                _ => shape[d],
            };
            if (dims[d] == -1)
            {
                if (inferred >= 0) return null;
                inferred = d;
            }
            else if (dims[d] < 0) return null;
            else known *= dims[d];
        }
        if (inferred >= 0)
        {
            if (known == 0 || count % known != 0) return null;
            dims[inferred] = count / known;
        }
        return dims.Aggregate(1L, (a, b) => a * b) == count ? dims : null;
    }
}
