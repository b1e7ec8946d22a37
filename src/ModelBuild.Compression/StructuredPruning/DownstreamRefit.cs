using ModelBuild.Compression.Data;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// The repair's second half: after the groups are cut and their consumers re-fitted, every later Conv (group 1) and
/// Gemm whose input kept its width is re-fitted by least squares too, in graph order, on the inputs it now sees
/// against the original's output (<see cref="ConsumerRefit"/> with every column kept). The error a cut leaves in a
/// residual stream or a layer's output thus shrinks at each layer instead of travelling to the output unchanged.
/// One layer at a time, so each sees the repairs before it; memory is one layer's statistics.
/// </summary>
internal static class DownstreamRefit
{
    /// <param name="model">The pruned model, changed in place.</param>
    /// <param name="original">The model before pruning (the same value names).</param>
    /// <param name="candidates">Nodes of <paramref name="model"/> to consider, in graph order.</param>
    /// <param name="inputs">Calibration inputs.</param>
    /// <returns>The layers re-fitted.</returns>
    public static IReadOnlyList<NodeProto> Apply(ModelProto model, ModelProto original, IReadOnlyList<NodeProto> candidates, IReadOnlyList<ImageTensor> inputs)
    {
        var graph = model.Graph;
        var names = new GraphNames(graph);
        var refitted = new List<NodeProto>();
        foreach (var layer in candidates.Where(IsRefittable))
        {
            var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            if (!initializers.TryGetValue(layer.Input[1], out var weight) || weight.DataType != (int)TensorProto.Types.DataType.Float) continue;
            var statistics = LayerInputCollector.Collect(model, [layer], inputs, original)[layer];
            // Too wide for the moment matrix: mean compensation alone would not repair anything here.
            if (statistics.Moments is null) continue;
            var weights = ConsumerRefit.Refit(layer, initializers, statistics, Enumerable.Range(0, statistics.Columns).ToArray());
            ChannelRemover.ReplaceWeights(graph, names, layer, weights);
            refitted.Add(layer);
        }
        return refitted;
    }

    // The layers the statistics know how to unfold: a plain 2-D Conv, a Gemm reading rows (no transA).
    private static bool IsRefittable(NodeProto node) => node.Domain is "" or "ai.onnx" && node.Input.Count >= 2 && node.OpType switch
    {
        "Conv" => Graphs.GraphEditor.IntAttribute(node, "group", 1) == 1,
        "Gemm" => Graphs.GraphEditor.IntAttribute(node, "transA", 0) == 0,
        _ => false,
    };
}
