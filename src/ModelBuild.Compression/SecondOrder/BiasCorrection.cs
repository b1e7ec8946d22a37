using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// Restores each output channel's mean on the calibration data after its weights changed: the layer is linear, so
/// the mean moves by <c>(W - W') mean(x)</c>, which is added to the bias (a Conv or Gemm without one gets one). MatMul
/// has no bias input and a Gemm with alpha or beta other than 1 or a broadcast bias is left as it is.
/// </summary>
internal static class BiasCorrection
{
    /// <returns>Whether the bias was corrected.</returns>
    public static bool Apply(GraphProto graph, LayerStatistics statistics, double[] before, double[] after)
    {
        var layer = statistics.Layer;
        var node = layer.Node;
        if (node.OpType == "MatMul" || statistics.Count == 0) return false;
        if (node.OpType == "Gemm" && (GraphEditor.FloatAttribute(node, "alpha", 1f) != 1f || GraphEditor.FloatAttribute(node, "beta", 1f) != 1f))
            return false;
        var n = layer.Columns;
        var bias = new float[layer.Rows];
        TensorProto? existing = null;
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            existing = graph.Initializer.FirstOrDefault(t => t.Name == node.Input[2]);
            if (existing is null || existing.DataType != (int)DataType.Float || existing.Dims.Count != 1 || existing.Dims[0] != layer.Rows
                || GraphEditor.ConsumerCount(graph, existing.Name) != 1)
                return false;
            bias = TensorData.ReadFloats(existing);
        }
        for (var r = 0; r < layer.Rows; r++)
        {
            var mean = statistics.Sums[r / layer.RowsPerGroup];
            double shift = 0;
            for (var c = 0; c < n; c++) shift += (before[((long)r * n) + c] - after[((long)r * n) + c]) * mean[c];
            bias[r] = (float)(bias[r] + (shift / statistics.Count));
        }
        var name = existing?.Name ?? OnnxGraph.UniqueName(graph, $"{layer.WeightName}_bias");
        var corrected = TensorData.FromFloats(name, [layer.Rows], bias);
        if (existing is not null)
        {
            graph.Initializer[graph.Initializer.IndexOf(existing)] = corrected;
            return true;
        }
        graph.Initializer.Add(corrected);
        while (node.Input.Count < 2) node.Input.Add("");
        if (node.Input.Count == 2) node.Input.Add(name);
        else node.Input[2] = name;
        return true;
    }
}
