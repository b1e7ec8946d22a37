using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// How one MatMul or Gemm becomes <c>Y = Activation x Weights + Bias</c> with a constant [K,N] weight: Gemm's
/// transB is applied to the weights, alpha folded into them and beta into the bias. Gemm with transA, a bias that
/// is not constant or not broadcast along rows ([M,N]), or a weight shared with other nodes stays float.
/// </summary>
internal sealed record MatMulWeightPlan(
    string Activation, TensorProto Weight, float[] Weights, long[] Dims, float[]? Bias, TensorProto? BiasSource)
{
    public static MatMulWeightPlan? For(GraphProto graph, NodeProto node)
    {
        if (!(node.Domain is "" or "ai.onnx") || node.Input.Count < 2 || node.Output.Count != 1) return null;
        var weight = WeightSelection.Int8Candidate(graph, node.Input[1], rank => rank == 2);
        if (weight is null || GraphEditor.ConsumerCount(graph, weight.Name) != 1 || GraphEditor.IsGraphOutput(graph, weight.Name))
            return null;
        return node.OpType switch
        {
            "MatMul" => new MatMulWeightPlan(node.Input[0], weight, TensorData.ReadFloats(weight), weight.Dims.ToArray(), null, null),
            "Gemm" => ForGemm(graph, node, weight),
            _ => null,
        };
    }

    private static MatMulWeightPlan? ForGemm(GraphProto graph, NodeProto gemm, TensorProto weight)
    {
        if (GraphEditor.IntAttribute(gemm, "transA", 0) != 0) return null;
        var transB = GraphEditor.IntAttribute(gemm, "transB", 0) != 0;
        var alpha = GraphEditor.FloatAttribute(gemm, "alpha", 1f);
        var beta = GraphEditor.FloatAttribute(gemm, "beta", 1f);
        var rows = weight.Dims[transB ? 1 : 0];
        var columns = weight.Dims[transB ? 0 : 1];

        TensorProto? biasSource = null;
        float[]? bias = null;
        if (gemm.Input.Count >= 3 && gemm.Input[2].Length > 0)
        {
            biasSource = graph.Initializer.FirstOrDefault(t => t.Name == gemm.Input[2]);
            if (biasSource is null || biasSource.DataType != (int)DataType.Float) return null;
            bias = RowBias(biasSource, columns, beta);
            if (bias is null) return null;
        }

        var source = TensorData.ReadFloats(weight);
        var weights = new float[source.Length];
        for (var k = 0; k < rows; k++)
        {
            for (var n = 0; n < columns; n++)
                weights[k * columns + n] = alpha * source[transB ? n * rows + k : k * columns + n];
        }
        return new MatMulWeightPlan(gemm.Input[0], weight, weights, [rows, columns], bias, biasSource);
    }

    /// <summary><c>beta * C</c> as one value per column, when C is a scalar, [N] or [1,N]; otherwise null.</summary>
    private static float[]? RowBias(TensorProto c, long columns, float beta)
    {
        var values = TensorData.ReadFloats(c);
        var broadcastsOverRows = values.Length == 1
            || values.Length == columns && (c.Dims.Count == 1 || c.Dims.Count == 2 && c.Dims[0] == 1);
        return broadcastsOverRows
            ? Enumerable.Range(0, (int)columns).Select(n => beta * values[values.Length == 1 ? 0 : n]).ToArray()
            : null;
    }
}
