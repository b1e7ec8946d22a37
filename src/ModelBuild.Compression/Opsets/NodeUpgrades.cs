using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using AttributeType = ModelBuild.Onnx.Protobuf.AttributeProto.Types.AttributeType;

namespace ModelBuild.Compression.Opsets;

/// <summary>
/// Rewrites for the operators whose meaning or signature changed before opset 13 (ONNX's Changelog.md):
/// Squeeze/Unsqueeze/ReduceSum/Split moved axes/split to inputs at 13, Softmax/LogSoftmax/Hardmax changed the
/// axis semantics at 13, Clip (11), Slice (10) and Pad (11) moved attributes to inputs, Dropout is an identity at
/// inference, BatchNormalization dropped spatial/is_test at 9.
/// </summary>
internal static class NodeUpgrades
{
    /// <returns>The nodes replacing <paramref name="node"/>, or null when the operator needs no rewrite from this opset.</returns>
    public static IReadOnlyList<NodeProto>? Upgrade(GraphProto graph, NodeProto node, long fromOpset, long toOpset) => node.OpType switch
    {
        "Squeeze" or "Unsqueeze" or "ReduceSum" when fromOpset < 13 => [AttributeToInput(graph, node, "axes", 1)],
        "Split" when fromOpset < 13 => [AttributeToInput(graph, node, "split", 1)],
        "Softmax" or "LogSoftmax" or "Hardmax" when fromOpset < 13 => CoercedAxisSoftmax(graph, node),
        "Clip" when fromOpset < 11 => [ClipBoundsToInputs(graph, node)],
        "Slice" when fromOpset < 10 => [SliceAttributesToInputs(graph, node)],
        "Pad" when fromOpset < 11 => [PadAttributesToInputs(graph, node)],
        "Dropout" => [DropoutToIdentity(graph, node, fromOpset, toOpset)],
        "BatchNormalization" when fromOpset < 9 => [BatchNormalizationWithoutLegacyAttributes(node, fromOpset, toOpset)],
        "Upsample" => throw new OpsetUpgradeException(node.Name, node.OpType, fromOpset, toOpset,
            "Upsample became Resize at opset 10 with different coordinate rules, which this upgrader does not convert"),
        _ => null,
    };

    /// <summary>Moves an int list attribute to the int64 input at <paramref name="inputIndex"/> (absent attribute: no input).</summary>
    private static NodeProto AttributeToInput(GraphProto graph, NodeProto node, string attributeName, int inputIndex)
    {
        var attribute = GraphEditor.Attribute(node, attributeName);
        if (attribute is null)
            return node;
        node.Attribute.Remove(attribute);
        var values = attribute.Ints.ToArray();
        var name = AddInitializer(graph, $"{NodeLabel(node)}_{attributeName}", TensorData.FromInt64("", [values.Length], values));
        while (node.Input.Count < inputIndex) node.Input.Add("");
        node.Input.Insert(inputIndex, name);
        return node;
    }

    /// <summary>
    /// Before 13 Softmax flattened the input to 2-D at <c>axis</c> (default 1) and normalized over everything after it;
    /// from 13 it normalizes along one axis. The last axis means the same in both (a rank-2 input with axis 1, the
    /// usual classifier head, among them); any other axis becomes Flatten(axis) -> Softmax(-1) -> Reshape(original
    /// shape), the old definition spelled out.
    /// </summary>
    /// <remarks>
    /// The Reshape's shape comes from Shape of the input, which ONNX Runtime folds to a constant when it believes the
    /// input's shape is static. Exports traced at a fixed batch declare that batch in value_info and graph outputs
    /// while the input batch is dynamic, so a folded shape would be wrong for any other batch: the rewrite drops the
    /// value_info (hints ONNX Runtime infers again) and, when the input is a graph output, reads it before the
    /// declared output, through an Identity.
    /// </remarks>
    private static IReadOnlyList<NodeProto> CoercedAxisSoftmax(GraphProto graph, NodeProto node)
    {
        var axis = GraphEditor.IntAttribute(node, "axis", 1);
        var rank = DeclaredRank(graph, node.Input[0]);
        var axisAttribute = new AttributeProto { Name = "axis", Type = AttributeType.Int, I = -1 };
        var existing = GraphEditor.Attribute(node, "axis");
        if (existing is not null) node.Attribute.Remove(existing);
        node.Attribute.Add(axisAttribute);
        if (axis == -1 || (rank is { } r && (axis < 0 ? axis + r : axis) == r - 1))
            return [node];

        graph.ValueInfo.Clear();
        var label = NodeLabel(node);
        var nodes = new List<NodeProto>();
        if (GraphEditor.IsGraphOutput(graph, node.Input[0]))
        {
            var declared = node.Input[0];
            var produced = OnnxGraph.UniqueName(graph, $"{label}_input");
            foreach (var earlier in graph.Node)
            {
                for (var i = 0; i < earlier.Output.Count; i++)
                    if (earlier.Output[i] == declared) earlier.Output[i] = produced;
                for (var i = 0; i < earlier.Input.Count; i++)
                    if (earlier.Input[i] == declared) earlier.Input[i] = produced;
            }
            nodes.Add(NodeFactory.Node("Identity", $"{label}_declared_input", [produced], declared));
            node.Input[0] = produced;
        }
        var shape = OnnxGraph.UniqueName(graph, $"{label}_input_shape");
        var flat = OnnxGraph.UniqueName(graph, $"{label}_flat");
        var normalized = OnnxGraph.UniqueName(graph, $"{label}_flat_normalized");
        var output = node.Output[0];
        var shapeNode = NodeFactory.Node("Shape", shape, [node.Input[0]], shape);
        var flatten = NodeFactory.Node("Flatten", flat, [node.Input[0]], flat, new AttributeProto { Name = "axis", Type = AttributeType.Int, I = axis });
        node.Input[0] = flat;
        node.Output[0] = normalized;
        var reshape = NodeFactory.Node("Reshape", $"{label}_reshape", [normalized, shape], output);
        return [.. nodes, shapeNode, flatten, node, reshape];
    }

    /// <summary>The rank of a value: from a declared shape (whose dimensions may be wrong, but not their number) or
    /// from the operator that makes it; null when neither tells.</summary>
    private static int? DeclaredRank(GraphProto graph, string name)
    {
        var declared = graph.Input.Concat(graph.Output).Concat(graph.ValueInfo)
            .FirstOrDefault(value => value.Name == name && value.Type?.TensorType?.Shape is not null);
        if (declared is not null)
            return declared.Type.TensorType.Shape.Dim.Count;
        var producer = graph.Node.LastOrDefault(node => node.Output.Contains(name));
        return producer?.OpType is "Gemm" or "Flatten" ? 2 : null;
    }

    private static NodeProto ClipBoundsToInputs(GraphProto graph, NodeProto node)
    {
        var min = GraphEditor.Attribute(node, "min");
        var max = GraphEditor.Attribute(node, "max");
        var label = NodeLabel(node);
        var upgraded = NodeFactory.Node("Clip", node.Name, [node.Input[0]], node.Output[0]);
        // Unset bounds stay unset inputs, which opset 11 reads as no bound (opset 6 defaulted them to +-FLT_MAX).
        upgraded.Input.Add(min is null ? "" : AddInitializer(graph, $"{label}_min", TensorData.FromFloats("", [], [min.F])));
        upgraded.Input.Add(max is null ? "" : AddInitializer(graph, $"{label}_max", TensorData.FromFloats("", [], [max.F])));
        return upgraded;
    }

    private static NodeProto SliceAttributesToInputs(GraphProto graph, NodeProto node)
    {
        var label = NodeLabel(node);
        var upgraded = NodeFactory.Node("Slice", node.Name, [node.Input[0]], node.Output[0]);
        foreach (var name in new[] { "starts", "ends", "axes" })
        {
            var values = GraphEditor.Attribute(node, name)?.Ints.ToArray();
            if (values is null && name == "axes")
                break;
            values ??= [];
            upgraded.Input.Add(AddInitializer(graph, $"{label}_{name}", TensorData.FromInt64("", [values.Length], values)));
        }
        return upgraded;
    }

    private static NodeProto PadAttributesToInputs(GraphProto graph, NodeProto node)
    {
        var label = NodeLabel(node);
        // Pad-1 called the attribute "paddings"; same layout [x1_begin, x2_begin, ..., x1_end, x2_end, ...].
        var pads = (GraphEditor.Attribute(node, "pads") ?? GraphEditor.Attribute(node, "paddings"))?.Ints.ToArray() ?? [];
        var upgraded = NodeFactory.Node("Pad", node.Name, [node.Input[0]], node.Output[0]);
        var mode = GraphEditor.Attribute(node, "mode");
        if (mode is not null) upgraded.Attribute.Add(mode.Clone());
        upgraded.Input.Add(AddInitializer(graph, $"{label}_pads", TensorData.FromInt64("", [pads.Length], pads)));
        upgraded.Input.Add(AddInitializer(graph, $"{label}_value", TensorData.FromFloats("", [], [GraphEditor.FloatAttribute(node, "value", 0f)])));
        return upgraded;
    }

    /// <summary>At inference Dropout passes its input through; only its mask output would need more.</summary>
    private static NodeProto DropoutToIdentity(GraphProto graph, NodeProto node, long fromOpset, long toOpset)
    {
        if (node.Output.Count > 1 && node.Output[1].Length > 0
            && (GraphEditor.ConsumerCount(graph, node.Output[1]) > 0 || GraphEditor.IsGraphOutput(graph, node.Output[1])))
            throw new OpsetUpgradeException(node.Name, node.OpType, fromOpset, toOpset, "its mask output is used, which has no inference-time equivalent here");
        return NodeFactory.Node("Identity", node.Name, [node.Input[0]], node.Output[0]);
    }

    /// <summary>Opset 9 dropped spatial (always per channel now), 7 dropped is_test, 6 consumed_inputs.</summary>
    private static NodeProto BatchNormalizationWithoutLegacyAttributes(NodeProto node, long fromOpset, long toOpset)
    {
        if (GraphEditor.IntAttribute(node, "spatial", 1) != 1)
            throw new OpsetUpgradeException(node.Name, node.OpType, fromOpset, toOpset, "spatial=0 (statistics per element) has no equivalent from opset 9");
        if (node.Output.Count > 1 && node.Output.Skip(1).Any(o => o.Length > 0))
            throw new OpsetUpgradeException(node.Name, node.OpType, fromOpset, toOpset, "it has training outputs (running mean/variance), expected inference mode");
        foreach (var legacy in node.Attribute.Where(a => a.Name is "spatial" or "is_test" or "consumed_inputs").ToList())
            node.Attribute.Remove(legacy);
        return node;
    }

    private static string AddInitializer(GraphProto graph, string prefix, TensorProto tensor)
    {
        tensor.Name = OnnxGraph.UniqueName(graph, prefix);
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static string NodeLabel(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output[0];
}
