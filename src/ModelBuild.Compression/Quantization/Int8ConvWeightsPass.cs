using System.Globalization;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Stores Conv weights as int8 with one symmetric scale per output channel, dequantized in the graph by
/// Cast(to=FLOAT) and Mul by a [M,1,1,...] scale. The Conv itself stays float: ONNX Runtime's CPU provider cannot
/// run ConvInteger, while Cast and Mul on initializers are constant-folded at session start, at every opset >= 7.
/// </summary>
internal sealed class Int8ConvWeightsPass
{
    /// <summary>Mul broadcasts numpy-style from opset 7; before it, a [M,1,1,1] scale does not broadcast.</summary>
    public const long MinOpset = 7;

    public int Apply(ModelProto model, IProgress<string>? progress)
    {
        var graph = model.Graph;
        var opset = OnnxGraph.OpsetVersion(model);
        if (opset < MinOpset) return 0;

        var weights = graph.Node
            .Where(n => n.OpType == "Conv" && (n.Domain is "" or "ai.onnx") && n.Input.Count >= 2)
            .Select(n => WeightSelection.Int8Candidate(graph, n.Input[1], rank => rank >= 3))
            .OfType<TensorProto>()
            .Where(w => !GraphEditor.IsGraphOutput(graph, w.Name))
            .Distinct()
            .ToList();
        if (weights.Count == 0) return 0;

        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(model);
        long floatBytes = 0, int8Bytes = 0;
        var names = new GraphNames(graph);
        var insertAt = 0;
        foreach (var weight in weights)
        {
            var dims = weight.Dims.ToArray();
            var quantized = SymmetricInt8Quantizer.QuantizePerChannel(TensorData.ReadFloats(weight), dims, axis: 0);
            var int8 = TensorData.FromInt8(names.Next(weight.Name + "_int8"), dims, quantized.Values);
            graph.Initializer.Add(int8);
            var scaleDims = dims.Select((d, axis) => axis == 0 ? d : 1L).ToArray();
            var scale = TensorData.FromFloats(names.Next(weight.Name + "_scale"), scaleDims, quantized.Scales);
            graph.Initializer.Add(scale);
            floatBytes += TensorData.StoredBytes(weight);
            int8Bytes += TensorData.StoredBytes(int8) + TensorData.StoredBytes(scale);
            GraphEditor.RemoveInitializer(graph, weight);

            // The Mul's output takes the weight's old name, so every consumer reads the dequantized float tensor.
            var widened = names.Next(weight.Name + "_widened");
            graph.Node.Insert(insertAt++, NodeFactory.CastToFloat(int8.Name, widened, opset));
            graph.Node.Insert(insertAt++, NodeFactory.Mul(widened, scale.Name, weight.Name));
        }
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"int8: {weights.Count} Conv weight tensors stored as int8 with per-channel scales, {floatBytes:N0} -> {int8Bytes:N0} bytes"));
        return weights.Count;
    }
}
