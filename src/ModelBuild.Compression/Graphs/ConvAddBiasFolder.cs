using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Graphs;

/// <summary>
/// Folds <c>Conv</c> (without bias) followed by <c>Add</c> of a per-channel constant ([C,1,1] or [1,C,1,1], as
/// CNTK exports the MNIST model) into the Conv's bias. The bias then becomes int32 inside the integer Conv instead of
/// a separate quantized Add with its own activation pair.
/// </summary>
internal static class ConvAddBiasFolder
{
    public static int Fold(GraphProto graph, GraphNames names)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var folded = 0;
        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv" && (n.Input.Count < 3 || n.Input[2].Length == 0)).ToList())
        {
            var output = conv.Output[0];
            if (GraphEditor.ConsumerCount(graph, output) != 1 || GraphEditor.IsGraphOutput(graph, output) || !initializers.TryGetValue(conv.Input[1], out var weight))
                continue;
            var add = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Count == 2 && n.Input.Contains(output));
            if (add is null)
                continue;
            var constantName = add.Input[0] == output ? add.Input[1] : add.Input[0];
            if (!initializers.TryGetValue(constantName, out var constant) || !IsPerChannel(constant, weight.Dims[0]))
                continue;

            var bias = TensorData.FromFloats(names.Next($"{constantName}_bias"), [weight.Dims[0]], TensorData.ReadFloats(constant));
            graph.Initializer.Add(bias);
            while (conv.Input.Count < 3) conv.Input.Add("");
            conv.Input[2] = bias.Name;
            conv.Output[0] = add.Output[0];
            graph.Node.Remove(add);
            if (GraphEditor.ConsumerCount(graph, constantName) == 0 && !GraphEditor.IsGraphOutput(graph, constantName))
                GraphEditor.RemoveInitializer(graph, constant);
            folded++;
        }
        return folded;
    }

    /// <summary>One value per output channel, aligned with axis 1 of an NCHW output under numpy broadcasting.</summary>
    private static bool IsPerChannel(TensorProto constant, long channels) =>
        constant.DataType == (int)TensorProto.Types.DataType.Float
        && (constant.Dims.SequenceEqual([channels, 1L, 1L]) || constant.Dims.SequenceEqual([1L, channels, 1L, 1L]));
}
