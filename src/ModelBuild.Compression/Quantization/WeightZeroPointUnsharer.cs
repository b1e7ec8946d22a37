using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Gives each DequantizeLinear of a constant int8 weight its own zero-point initializer. ONNX Runtime's exact int8
/// option (session.x64quantprecision, which the generated class and the build's measurements turn on for u8s8
/// models on CPUs without VNNI) re-expresses each such weight as uint8 together with its zero point, and fails
/// ("Attempt to replace the existing tensor") when two weights share one zero point, as PyTorch's QAT exports do.
/// </summary>
internal static class WeightZeroPointUnsharer
{
    /// <summary>Copies every shared int8 zero point of a weight's DequantizeLinear; returns how many copies it made.</summary>
    public static int Unshare(ModelProto model)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var consumers = GraphEditor.ConsumerCounts(graph);
        var names = new GraphNames(graph);
        var copies = 0;
        foreach (var node in graph.Node.Where(n => n.OpType == "DequantizeLinear" && n.Input.Count >= 3))
        {
            if (!initializers.TryGetValue(node.Input[0], out var weight) || weight.DataType != (int)DataType.Int8)
                continue;
            var zeroPoint = node.Input[2];
            if (!initializers.TryGetValue(zeroPoint, out var shared) || consumers.GetValueOrDefault(zeroPoint) <= 1)
                continue;
            var copy = shared.Clone();
            copy.Name = names.Next(zeroPoint);
            graph.Initializer.Add(copy);
            node.Input[2] = copy.Name;
            consumers[zeroPoint]--;
            copies++;
        }
        return copies;
    }
}
