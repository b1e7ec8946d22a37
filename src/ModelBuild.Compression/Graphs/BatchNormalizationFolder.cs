using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Graphs;

/// <summary>
/// Folds BatchNormalization into the Conv before it (<c>w' = w * g / sqrt(v + e)</c> per output channel,
/// <c>b' = (b - m) * g / sqrt(v + e) + beta</c>). Left unfolded, the quantized Conv would be followed by a float
/// BatchNormalization and ONNX Runtime could not fuse the Conv into QLinearConv.
/// </summary>
internal static class BatchNormalizationFolder
{
    public static int Fold(GraphProto graph, GraphNames names)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var folded = 0;
        foreach (var batchNorm in graph.Node.Where(n => n.OpType == "BatchNormalization" && n.Input.Count == 5 && n.Output.Count == 1).ToList())
        {
            if (!producers.TryGetValue(batchNorm.Input[0], out var conv) || conv.OpType != "Conv"
                || GraphEditor.ConsumerCount(graph, conv.Output[0]) != 1 || GraphEditor.IsGraphOutput(graph, conv.Output[0])
                || !initializers.TryGetValue(conv.Input[1], out var weight)
                || (conv.Input.Count > 2 && conv.Input[2].Length > 0 && !initializers.ContainsKey(conv.Input[2]))
                || batchNorm.Input.Skip(1).Any(name => !initializers.ContainsKey(name)))
                continue;

            var gamma = TensorData.ReadFloats(initializers[batchNorm.Input[1]]);
            var beta = TensorData.ReadFloats(initializers[batchNorm.Input[2]]);
            var mean = TensorData.ReadFloats(initializers[batchNorm.Input[3]]);
            var variance = TensorData.ReadFloats(initializers[batchNorm.Input[4]]);
            var epsilon = GraphEditor.FloatAttribute(batchNorm, "epsilon", 1e-5f);
            var channels = gamma.Length;
            var weights = TensorData.ReadFloats(weight);
            var bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? TensorData.ReadFloats(initializers[conv.Input[2]]) : new float[channels];
            var perChannel = weights.Length / channels;
            for (var c = 0; c < channels; c++)
            {
                var factor = gamma[c] / Math.Sqrt(variance[c] + epsilon);
                for (var i = 0; i < perChannel; i++)
                    weights[(c * perChannel) + i] = (float)(weights[(c * perChannel) + i] * factor);
                bias[c] = (float)(((bias[c] - mean[c]) * factor) + beta[c]);
            }

            // New initializers: the originals may be shared with other nodes.
            var foldedWeight = TensorData.FromFloats(names.Next($"{weight.Name}_folded"), weight.Dims.ToArray(), weights);
            var foldedBias = TensorData.FromFloats(names.Next($"{conv.Output[0]}_folded_bias"), [channels], bias);
            graph.Initializer.Add(foldedWeight);
            graph.Initializer.Add(foldedBias);
            conv.Input[1] = foldedWeight.Name;
            while (conv.Input.Count < 3) conv.Input.Add("");
            conv.Input[2] = foldedBias.Name;
            conv.Output[0] = batchNorm.Output[0];
            graph.Node.Remove(batchNorm);
            folded++;
        }
        GraphEditor.RemoveUnusedInitializers(graph);
        return folded;
    }
}
