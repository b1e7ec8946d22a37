using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// The output sizes of a Split, in each opset's form: the <c>split</c> attribute (before opset 13), the second input
/// (opset 13 and later), or, when neither is given, equal parts (before opset 18 they must divide the axis; from 18
/// <c>num_outputs</c> parts of ceil(size / n), the last smaller).
/// </summary>
internal static class SplitSizes
{
    /// <summary>The sizes along an axis of <paramref name="size"/>, or null when they are not constant or do not add up to it.</summary>
    public static int[]? Read(NodeProto node, IReadOnlyDictionary<string, TensorProto> initializers, int size, long opset)
    {
        long[] sizes;
        if (node.Input.Count > 1 && node.Input[1].Length > 0)
        {
            if (!initializers.TryGetValue(node.Input[1], out var tensor) || tensor.DataType != (int)TensorProto.Types.DataType.Int64) return null;
            sizes = TensorData.ReadInt64s(tensor);
        }
        else if (GraphEditor.Attribute(node, "split") is { } attribute) sizes = attribute.Ints.ToArray();
        else
        {
            var parts = (int)GraphEditor.IntAttribute(node, "num_outputs", node.Output.Count);
            if (parts <= 0 || parts != node.Output.Count) return null;
            var chunk = opset >= 18 ? (size + parts - 1) / parts : size / parts;
            if (opset < 18 && size % parts != 0) return null;
            sizes = Enumerable.Range(0, parts).Select(i => (long)Math.Max(0, Math.Min(chunk, size - (i * chunk)))).ToArray();
        }
        // Each size checked before the sum, which could otherwise overflow on a crafted model.
        if (sizes.Length != node.Output.Count || sizes.Any(s => s < 0 || s > size) || sizes.Sum() != size) return null;
        return sizes.Select(s => (int)s).ToArray();
    }

    /// <summary>Gives <paramref name="node"/> explicit sizes in its opset's form (a new initializer: the old one may be shared).</summary>
    public static void Write(GraphProto graph, GraphNames names, NodeProto node, long opset, int[] sizes)
    {
        if (opset < 13)
        {
            if (GraphEditor.Attribute(node, "split") is not { } attribute)
            {
                attribute = new AttributeProto { Name = "split", Type = AttributeProto.Types.AttributeType.Ints };
                node.Attribute.Add(attribute);
            }
            attribute.Ints.Clear();
            attribute.Ints.AddRange(sizes.Select(s => (long)s));
            return;
        }
        // The sizes input and num_outputs exclude each other (opset 18).
        if (GraphEditor.Attribute(node, "num_outputs") is { } count) node.Attribute.Remove(count);
        var tensor = TensorData.FromInt64(names.Next($"{node.Output[0]}_split"), [sizes.Length], sizes.Select(s => (long)s).ToArray());
        graph.Initializer.Add(tensor);
        if (node.Input.Count < 2) node.Input.Add(tensor.Name);
        else node.Input[1] = tensor.Name;
    }
}
