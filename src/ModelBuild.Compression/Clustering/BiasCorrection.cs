using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Clustering;

/// <summary>
/// Gives each output channel back the mean its clustered weight shifted (Nagel et al.'s bias correction): the layer's
/// mean output moved by shift[o] = sum over its weights of (w' - w) * E[x], so its bias takes -shift[o]. A float bias
/// is edited as it is; an int32 bias behind a DequantizeLinear (after <c>int8</c>) moves by whole steps of its scale.
/// A layer without a bias input is left as it is.
/// </summary>
internal static class BiasCorrection
{
    /// <summary>Whether the bias of <paramref name="layer"/> took <paramref name="shift"/> (in the layer's output units, before Gemm's beta).</summary>
    public static bool Apply(GraphProto graph, NodeProto layer, double[] shift)
    {
        if (layer.Input.Count < 3 || layer.Input[2].Length == 0) return false;
        var beta = layer.OpType == "Gemm" ? GraphEditor.FloatAttribute(layer, "beta", 1f) : 1f;
        if (beta == 0) return false;
        var name = layer.Input[2];
        if (Initializer(graph, name) is { DataType: (int)DataType.Float } bias)
        {
            var values = TensorData.ReadFloats(bias);
            if (values.Length != shift.Length) return false;
            Replace(graph, bias, TensorData.FromFloats(bias.Name, bias.Dims.ToArray(), values.Select((v, o) => (float)(v - shift[o] / beta)).ToArray()));
            return true;
        }
        var dequantize = graph.Node.FirstOrDefault(n => n.OpType == "DequantizeLinear" && n.Output.Count > 0 && n.Output[0] == name);
        if (dequantize is null || Initializer(graph, dequantize.Input[0]) is not { DataType: (int)DataType.Int32 } integers
            || dequantize.Input.Count < 2 || Initializer(graph, dequantize.Input[1]) is not { DataType: (int)DataType.Float } scaleTensor)
            return false;
        // ONNX Runtime reads an int32 bias as raw little-endian words, which is how the int8 pass writes it.
        var raw = TensorData.ReadRawBytes(integers);
        var words = Enumerable.Range(0, raw.Length / 4).Select(i => BitConverter.ToInt32(raw, i * 4)).ToArray();
        var scales = TensorData.ReadFloats(scaleTensor);
        if (words.Length != shift.Length || (scales.Length != 1 && scales.Length != words.Length) || scales.Any(s => !(s > 0))) return false;
        var corrected = words.Select((w, o) => (int)Math.Clamp(w - Math.Round(shift[o] / beta / scales[scales.Length == 1 ? 0 : o]), int.MinValue, int.MaxValue)).ToArray();
        Replace(graph, integers, TensorData.FromInt32(integers.Name, integers.Dims.ToArray(), corrected));
        return true;
    }

    private static TensorProto? Initializer(GraphProto graph, string name) => graph.Initializer.FirstOrDefault(t => t.Name == name);

    private static void Replace(GraphProto graph, TensorProto old, TensorProto replacement) =>
        graph.Initializer[graph.Initializer.IndexOf(old)] = replacement;
}
