using ModelBuild.Compression.Comparison;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Benchmarks.Float16Kernels;

/// <summary>
/// Which nodes of a float16 graph ONNX Runtime really runs with float16 kernels, read from the graph the session
/// builds (extended optimizations; the timed sessions' layout rewrites cannot be saved as ONNX). Nodes without a
/// float16 CPU kernel sit there behind the Casts ONNX Runtime inserted, with float32 inputs.
/// </summary>
public sealed record Float16KernelUse(int Float16Nodes, int Float32Nodes, IReadOnlyList<string> Float16Operators, IReadOnlyList<string> Float32Operators)
{
    public static Float16KernelUse Of(byte[] model) => Classify(MemoryFootprint.SessionGraph(model).Graph);

    private static Float16KernelUse Classify(GraphProto graph)
    {
        var halves = FloatValues.Of(graph, DataType.Float16);
        var singles = FloatValues.Of(graph, DataType.Float);
        var compute = graph.Node.Where(node => node.OpType != "Cast").ToList();
        var float16 = compute.Where(node => node.Input.Any(halves.Contains)).ToList();
        var float32 = compute.Where(node => !node.Input.Any(halves.Contains) && node.Input.Any(singles.Contains)).ToList();
        return new Float16KernelUse(float16.Count, float32.Count, Operators(float16), Operators(float32));
    }

    private static IReadOnlyList<string> Operators(IEnumerable<NodeProto> nodes) =>
        nodes.Select(node => node.OpType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
