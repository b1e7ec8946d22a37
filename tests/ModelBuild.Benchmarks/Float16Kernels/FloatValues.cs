using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Benchmarks.Float16Kernels;

/// <summary>
/// The names of the values of one floating-point element type in a graph (inputs, initializers, node outputs),
/// found by walking the nodes in order: the float32 tensors a pure float16 graph must hold as float16, or the
/// float16 tensors of the graph ONNX Runtime built from it. Most operators give float outputs when any input
/// is float (Reshape, Gather, Conv); the exceptions are the ones whose output type is fixed or set by an attribute.
/// </summary>
public static class FloatValues
{
    private static readonly HashSet<string> NeverFloatOutputs = new(StringComparer.Ordinal)
    {
        "Shape", "Size", "ArgMax", "ArgMin", "NonZero", "NonMaxSuppression",
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf",
    };

    public static HashSet<string> Of(GraphProto graph, DataType elementType = DataType.Float)
    {
        var floats = new HashSet<string>(StringComparer.Ordinal);
        floats.UnionWith(graph.Initializer.Where(t => t.DataType == (int)elementType).Select(t => t.Name));
        floats.UnionWith(graph.Input.Where(v => v.Type?.TensorType?.ElemType == (int)elementType).Select(v => v.Name));
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                if (OutputIs(elementType, node, i, floats)) floats.Add(node.Output[i]);
            }
        }
        return floats;
    }

    private static bool OutputIs(DataType elementType, NodeProto node, int outputIndex, HashSet<string> floats)
    {
        if (NeverFloatOutputs.Contains(node.OpType)) return false;
        switch (node.OpType)
        {
            case "Cast":
                return Attribute(node, "to")?.I == (long)elementType;
            case "ConstantOfShape":
                // Without a value attribute the output is float zeros.
                return Attribute(node, "value")?.T is { } value ? value.DataType == (int)elementType : elementType == DataType.Float;
            case "Constant":
                return Attribute(node, "value")?.T?.DataType == (int)elementType
                    || (elementType == DataType.Float && (Attribute(node, "value_float") is not null || Attribute(node, "value_floats") is not null));
            case "MaxPool" or "TopK" when outputIndex == 1:
                return false; // the indices
            default:
                return node.Input.Any(floats.Contains);
        }
    }

    internal static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
}
