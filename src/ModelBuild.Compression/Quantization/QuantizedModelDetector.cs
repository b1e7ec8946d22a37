using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Recognizes a model that is already quantized (QDQ, QLinear*, integer MatMul/Conv, dynamic quantization):
/// quantizing it again would stack a second rounding on the first, so recipes pass it through unchanged.
/// </summary>
public static class QuantizedModelDetector
{
    private static readonly HashSet<string> QuantizedOperators =
    [
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "ConvInteger",
        "MatMulIntegerToFloat", "QGemm", "QAttention", "MatMulNBits",
    ];

    private static readonly string[] QuantizedOperatorPrefixes = ["QLinear", "DynamicQuantize", "QOrdered"];

    /// <summary>The quantized operator types the model uses (subgraphs included), sorted; empty when none.</summary>
    public static IReadOnlyList<string> QuantizedOperatorTypes(ModelProto model) =>
        AllNodes(model.Graph)
            .Select(n => n.OpType)
            .Where(IsQuantizedOperator)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static bool IsQuantized(ModelProto model) => QuantizedOperatorTypes(model).Count > 0;

    private static bool IsQuantizedOperator(string opType) =>
        QuantizedOperators.Contains(opType) || QuantizedOperatorPrefixes.Any(p => opType.StartsWith(p, StringComparison.Ordinal));

    private static IEnumerable<NodeProto> AllNodes(GraphProto? graph)
    {
        if (graph is null) yield break;
        foreach (var node in graph.Node)
        {
            yield return node;
            foreach (var attribute in node.Attribute)
            {
                var subgraphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Append(attribute.G);
                foreach (var subgraph in subgraphs)
                {
                    foreach (var inner in AllNodes(subgraph)) yield return inner;
                }
            }
        }
    }
}
