using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Sparsity;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Inspection;

/// <summary>
/// Signature, opsets and weight statistics of a model. Weights are the top-level graph's initializers and numeric
/// Constant nodes; each is attributed to the operator type of the first node that reads it, so the per-operator rows
/// add up to the totals without counting a shared tensor twice.
/// </summary>
public static class ModelInspector
{
    public const string UnusedOperator = "(unused)";

    public static ModelInspection Inspect(ModelProto model)
    {
        // Hoisting on a copy puts Constant-node weights beside the initializers, named by the value they produce.
        var copy = model.Clone();
        OnnxGraph.HoistConstants(copy.Graph);
        var firstConsumer = FirstConsumers(copy.Graph);
        var byOperator = copy.Graph.Initializer
            .GroupBy(t => firstConsumer.GetValueOrDefault(t.Name, UnusedOperator), StringComparer.Ordinal)
            .Select(g => new OperatorWeights(g.Key, g.Count(), g.Sum(TensorData.ElementCount), g.Sum(TensorData.StoredBytes)))
            .OrderByDescending(w => w.Bytes)
            .ThenBy(w => w.OperatorType, StringComparer.Ordinal)
            .ToList();
        return new ModelInspection(
            model.IrVersion,
            model.OpsetImport.Select(o => new OpsetImport(o.Domain.Length == 0 ? "ai.onnx" : o.Domain, o.Version)).ToList(),
            ModelSignature.Inputs(model),
            ModelSignature.Outputs(model),
            byOperator,
            QuantizedModelDetector.QuantizedOperatorTypes(model))
        {
            Sparsity = SparsityMeter.Measure(model),
            SaturatingWeightTensors = UInt8WeightRewriter.Rewrite(model.Clone()),
            MachineInstructionSet = Runtime.Cpu.InstructionSet.Current.Describe(),
        };
    }

    private static Dictionary<string, string> FirstConsumers(GraphProto graph)
    {
        var consumers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
                consumers.TryAdd(input, node.OpType);
        }
        return consumers;
    }
}
