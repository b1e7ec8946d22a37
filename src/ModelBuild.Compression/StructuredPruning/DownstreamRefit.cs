using ModelBuild.Compression.Data;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// The repair's second half: after the groups are cut and their consumers re-fitted, every later Conv (group 1) and
/// Gemm whose input kept its width is re-fitted by least squares too, in graph order, on the inputs it now sees
/// against the original's output (<see cref="ConsumerRefit"/> with every column kept). The error a cut leaves in a
/// residual stream or a layer's output thus shrinks at each layer instead of travelling to the output unchanged.
/// One layer at a time, so each sees the repairs before it (in chunks past <see cref="MaxPasses"/> layers); memory is
/// one chunk's statistics.
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
        var layers = candidates.Where(layer => IsRefittable(layer, graph)).ToList();
        // At most MaxPasses statistics passes: a deep model's layers go in consecutive chunks, a chunk's layers
        // re-fitted on what they saw before any of them was.
        var chunk = Math.Max(1, (layers.Count + MaxPasses - 1) / MaxPasses);
        for (var start = 0; start < layers.Count; start += chunk)
        {
            var batch = layers.Skip(start).Take(chunk).ToList();
            var statistics = LayerInputCollector.Collect(model, batch, inputs, original);
            var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            foreach (var layer in batch)
            {
                // Too wide for the moment matrix: mean compensation alone would not repair anything here.
                if (statistics[layer].Moments is null) continue;
                var weights = ConsumerRefit.Refit(layer, initializers, statistics[layer], Enumerable.Range(0, statistics[layer].Columns).ToArray());
                ChannelRemover.ReplaceWeights(graph, names, layer, weights);
                refitted.Add(layer);
            }
        }
        return refitted;
    }

    /// <summary>Statistics passes at most (each runs the model and the original once per calibration input).</summary>
    public const int MaxPasses = 128;

    // The layers the statistics know how to unfold: a plain 2-D Conv, a Gemm reading rows (no transA).
    private static bool IsRefittable(NodeProto node, GraphProto graph) => node.Domain is "" or "ai.onnx" && node.Input.Count >= 2
        && graph.Initializer.Any(t => t.Name == node.Input[1] && t.DataType == (int)TensorProto.Types.DataType.Float) && node.OpType switch
    {
        "Conv" => Graphs.GraphEditor.IntAttribute(node, "group", 1) == 1,
        "Gemm" => Graphs.GraphEditor.IntAttribute(node, "transA", 0) == 0,
        _ => false,
    };
}
