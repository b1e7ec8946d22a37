using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Benchmarks.Float16Kernels;

/// <summary>
/// Turns a float32 model into a pure float16 one, the form the <c>fp16</c> recipe chose not to ship: float16
/// weights and float16 activations, so ONNX Runtime runs its float16 kernels. The graph's inputs and outputs stay
/// float32 behind Cast nodes, so callers feed and read it like the original. Operators without a float16 CPU kernel
/// are left to ONNX Runtime, which wraps them in Casts itself at session start (its InsertCastTransformer); the
/// graph it builds shows which ran in float16 (<see cref="Float16KernelUse"/>).
/// </summary>
public static class PureFloat16Converter
{
    public static ModelProto Convert(ModelProto original)
    {
        var model = original.Clone();
        OnnxGraph.HoistConstants(model);
        var graph = model.Graph;
        // IR 3 lists every initializer as a float graph input too; those entries would contradict the float16 weights.
        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(model);
        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var listed in graph.Input.Where(i => initializerNames.Contains(i.Name)).ToList())
            graph.Input.Remove(listed);

        var floats = FloatValues.Of(graph);
        var weights = graph.Initializer.Where(t => floats.Contains(t.Name)).ToList();
        foreach (var weight in weights)
        {
            graph.Initializer.Remove(weight);
            graph.Initializer.Add(TensorData.FromFloat16(weight.Name, weight.Dims.ToArray(), TensorData.ReadFloats(weight)));
        }

        var nodes = new List<NodeProto>();
        foreach (var input in graph.Input.Where(i => floats.Contains(i.Name)))
        {
            var half = OnnxGraph.UniqueName(graph, input.Name + "_fp16");
            Rename(graph, input.Name, half, inputsOnly: true);
            nodes.Add(Cast(input.Name, half, DataType.Float16, graph));
        }
        var outputCasts = new List<NodeProto>();
        foreach (var output in graph.Output.Where(o => floats.Contains(o.Name)))
        {
            var half = OnnxGraph.UniqueName(graph, output.Name + "_fp16");
            Rename(graph, output.Name, half, inputsOnly: false);
            outputCasts.Add(Cast(half, output.Name, DataType.Float, graph));
        }

        nodes.AddRange(graph.Node.Select(Narrowed).ToList());
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        graph.Node.AddRange(outputCasts);

        foreach (var value in graph.ValueInfo.Where(v => floats.Contains(v.Name) && v.Type?.TensorType is not null))
            value.Type.TensorType.ElemType = (int)DataType.Float16;
        return model;
    }

    /// <summary>The node's float attributes made float16: Cast targets and constant fill values.</summary>
    private static NodeProto Narrowed(NodeProto node)
    {
        if (node.OpType == "Cast" && FloatValues.Attribute(node, "to") is { } to && to.I == (long)DataType.Float)
            to.I = (long)DataType.Float16;
        if (node.OpType is "ConstantOfShape" or "Constant" && FloatValues.Attribute(node, "value") is { T: { } value } attribute
            && value.DataType == (int)DataType.Float)
            attribute.T = TensorData.FromFloat16(value.Name, value.Dims.ToArray(), TensorData.ReadFloats(value));
        if (node.OpType == "ConstantOfShape" && FloatValues.Attribute(node, "value") is null)
            node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = TensorData.FromFloat16("", [1], [0f]) });
        return node;
    }

    private static void Rename(GraphProto graph, string from, string to, bool inputsOnly)
    {
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == from) node.Input[i] = to;
            if (inputsOnly) continue;
            for (var i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == from) node.Output[i] = to;
        }
    }

    private static NodeProto Cast(string input, string output, DataType to, GraphProto graph)
    {
        var node = new NodeProto { OpType = "Cast", Name = OnnxGraph.UniqueName(graph, output + "_cast") };
        node.Input.Add(input);
        node.Output.Add(output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)to });
        return node;
    }
}
