using System.Globalization;
using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Replaces MatMul and Gemm with a constant 2-D weight by com.microsoft DynamicQuantizeMatMul: int8 weights with one
/// scale per output column, the activation quantized to uint8 at run time. Chosen over DynamicQuantizeLinear +
/// MatMulInteger because it is one fused node that takes per-column scales and a bias directly, needs no opset 10
/// in the model's default domain (MNIST is opset 8), and is what ONNX Runtime's own dynamic quantizer emits. The
/// activation is quantized to the full [0, 255], so the weights take the target's <see cref="WeightFormat"/>: 7-bit
/// or uint8 where full-range int8 could saturate the u8 x s8 kernels.
/// </summary>
internal sealed class DynamicQuantizeMatMulPass(WeightFormat weightFormat)
{
    public const string MicrosoftDomain = "com.microsoft";

    public int Apply(ModelProto model, IProgress<string>? progress)
    {
        var graph = model.Graph;
        long floatBytes = 0, int8Bytes = 0;
        var names = new GraphNames(graph);
        var replaced = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var plan = MatMulWeightPlan.For(graph, graph.Node[i]);
            if (plan is null) continue;

            var format = weightFormat == WeightFormat.PerLayer ? PerChannelWeights.ResolveByNoise(plan.Weights, plan.Dims, axis: 1) : weightFormat;
            var maxLevel = format == WeightFormat.Int8ReducedRange ? 64 : SymmetricInt8Quantizer.MaxLevel;
            var quantized = SymmetricInt8Quantizer.QuantizePerChannel(plan.Weights, plan.Dims, axis: 1, maxLevel);
            var int8 = format == WeightFormat.UInt8
                ? TensorData.FromUInt8(names.Next(plan.Weight.Name + "_uint8"), plan.Dims, quantized.Values.Select(v => (byte)(v + 128)).ToArray())
                : TensorData.FromInt8(names.Next(plan.Weight.Name + "_int8"), plan.Dims, quantized.Values);
            graph.Initializer.Add(int8);
            var scale = TensorData.FromFloats(names.Next(plan.Weight.Name + "_scale"), [plan.Dims[1]], quantized.Scales);
            graph.Initializer.Add(scale);
            var inputs = new List<string> { plan.Activation, int8.Name, scale.Name };
            // Input 3 is b_zero_point: absent means 0 (symmetric int8); uint8 weights sit at 128, one per column.
            var zeroPoint = "";
            if (format == WeightFormat.UInt8)
            {
                var zeroPoints = TensorData.FromUInt8(names.Next(plan.Weight.Name + "_zero_point"), [plan.Dims[1]], Enumerable.Repeat((byte)128, (int)plan.Dims[1]).ToArray());
                graph.Initializer.Add(zeroPoints);
                zeroPoint = zeroPoints.Name;
            }
            if (zeroPoint.Length > 0) inputs.Add(zeroPoint);
            if (plan.Bias is not null)
            {
                var bias = TensorData.FromFloats(names.Next(plan.Weight.Name + "_bias"), [plan.Dims[1]], plan.Bias);
                graph.Initializer.Add(bias);
                if (zeroPoint.Length == 0) inputs.Add("");
                inputs.Add(bias.Name);
            }
            floatBytes += TensorData.StoredBytes(plan.Weight);
            int8Bytes += TensorData.StoredBytes(int8) + TensorData.StoredBytes(scale);

            var node = graph.Node[i];
            var fused = NodeFactory.Node("DynamicQuantizeMatMul", node.Name, inputs, node.Output[0]);
            fused.Domain = MicrosoftDomain;
            graph.Node[i] = fused;
            RemoveIfUnused(graph, plan.Weight);
            if (plan.BiasSource is not null) RemoveIfUnused(graph, plan.BiasSource);
            replaced++;
        }
        if (replaced == 0) return 0;

        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(model);
        GraphEditor.EnsureOpsetImport(model, MicrosoftDomain, 1);
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"int8: {replaced} MatMul/Gemm nodes now DynamicQuantizeMatMul with per-column {weightFormat} weights, {floatBytes:N0} -> {int8Bytes:N0} bytes"));
        return replaced;
    }

    private static void RemoveIfUnused(GraphProto graph, TensorProto initializer)
    {
        if (GraphEditor.ConsumerCount(graph, initializer.Name) == 0 && !GraphEditor.IsGraphOutput(graph, initializer.Name))
            GraphEditor.RemoveInitializer(graph, initializer);
    }
}
