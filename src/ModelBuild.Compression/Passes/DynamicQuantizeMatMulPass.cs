using System.Globalization;
using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>
/// Replaces MatMul and Gemm with a constant 2-D weight by com.microsoft DynamicQuantizeMatMul: int8 weights with one
/// scale per output column, the activation quantized to uint8 at run time. Chosen over DynamicQuantizeLinear +
/// MatMulInteger because it is one fused node that takes per-column scales and a bias directly, needs no opset 10
/// in the model's default domain (MNIST is opset 8), and is what ONNX Runtime's own dynamic quantizer emits.
/// </summary>
internal sealed class DynamicQuantizeMatMulPass : IWeightPass
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

            var quantized = SymmetricInt8Quantizer.QuantizePerChannel(plan.Weights, plan.Dims, axis: 1);
            var int8 = TensorData.FromInt8(names.Next(plan.Weight.Name + "_int8"), plan.Dims, quantized.Values);
            graph.Initializer.Add(int8);
            var scale = TensorData.FromFloats(names.Next(plan.Weight.Name + "_scale"), [plan.Dims[1]], quantized.Scales);
            graph.Initializer.Add(scale);
            var inputs = new List<string> { plan.Activation, int8.Name, scale.Name };
            if (plan.Bias is not null)
            {
                var bias = TensorData.FromFloats(names.Next(plan.Weight.Name + "_bias"), [plan.Dims[1]], plan.Bias);
                graph.Initializer.Add(bias);
                // Input 3 is b_zero_point; empty means absent, i.e. symmetric weights.
                inputs.AddRange(["", bias.Name]);
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
            $"int8: {replaced} MatMul/Gemm nodes now DynamicQuantizeMatMul with per-column int8 weights, {floatBytes:N0} -> {int8Bytes:N0} bytes"));
        return replaced;
    }

    private static void RemoveIfUnused(GraphProto graph, TensorProto initializer)
    {
        if (GraphEditor.ConsumerCount(graph, initializer.Name) == 0 && !GraphEditor.IsGraphOutput(graph, initializer.Name))
            GraphEditor.RemoveInitializer(graph, initializer);
    }
}
