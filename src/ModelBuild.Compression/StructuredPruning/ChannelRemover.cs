using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// Removes a group's channels from the graph: the producers' filters (Conv weight and bias along axis 0, Gemm rows or
/// columns), the depthwise filters and per-channel constants inside the group, and the consumers' input channels
/// (Conv weight axis 1, Gemm/MatMul input columns, channel x spatial columns after a Flatten), at the positions each
/// member's <see cref="ChannelMap"/> gives (offsets after a Concat, slices after a Split), and rewrites the sizes of
/// the Splits in the group. Each edited weight becomes a new initializer (the original may be shared), and the
/// recorded shapes of the group's values are dropped (ONNX Runtime infers them again). Inputs and outputs of the
/// model keep their shapes: a group reaching them is blocked.
/// </summary>
internal static class ChannelRemover
{
    /// <summary>
    /// Removes the channels not in <paramref name="keep"/> (ascending) where they are made: producers, depthwise filters,
    /// per-channel constants, Split sizes. Done for every group before <see cref="RemoveInputs"/>, so a layer that
    /// consumes one group and produces another has its final rows when its input columns are re-fitted.
    /// </summary>
    public static void RemoveOutputs(GraphProto graph, GraphNames names, ChannelGroup group, int[] keep)
    {
        var edit = new Edit(graph, names);
        foreach (var producer in group.Producers)
        {
            var map = group.Filters[producer];
            var kept = map.Kept(group, keep);
            var transposed = producer.OpType == "Gemm" && GraphEditor.IntAttribute(producer, "transB", 0) != 0;
            edit.Select(producer, 1, producer.OpType == "Conv" || transposed ? 0 : 1, kept);
            if (edit.HasBias(producer) && TensorData.ElementCount(edit.Read(producer, 2)) > 1)
                edit.Select(producer, 2, edit.Read(producer, 2).Dims.Count - 1, kept);
            map.Remove(group, keep);
        }
        foreach (var depthwise in group.Depthwise)
        {
            var map = group.Filters[depthwise];
            var kept = map.Kept(group, keep);
            edit.Select(depthwise, 1, 0, kept);
            if (edit.HasBias(depthwise)) edit.Select(depthwise, 2, 0, kept);
            GraphEditor.Attribute(depthwise, "group")!.I = kept.Length;
            map.Remove(group, keep);
        }
        foreach (var parameter in group.Parameters)
        {
            edit.Select(parameter.Node, parameter.Input, parameter.Axis, parameter.Map.Kept(group, keep));
            parameter.Map.Remove(group, keep);
        }
        foreach (var split in group.Splits)
        {
            // Each output keeps the kept channels of its slice.
            var sizes = SplitSizes.Read(split.Node, edit.Initializers, split.Map.Count, split.Opset)!;
            var kept = split.Map.Kept(group, keep);
            var offset = 0;
            for (var i = 0; i < sizes.Length; i++)
            {
                var end = offset + sizes[i];
                sizes[i] = kept.Count(k => k >= offset && k < end);
                offset = end;
            }
            SplitSizes.Write(graph, names, split.Node, split.Opset, sizes);
            split.Map.Remove(group, keep);
        }
        var changed = group.Values.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var info in graph.ValueInfo.Where(v => changed.Contains(v.Name)).ToList()) graph.ValueInfo.Remove(info);
    }

    /// <summary>The consumer's input axis of its weight (Conv: 1; Gemm: 1 when transposed, else 0; MatMul: 0).</summary>
    public static int InputAxis(NodeProto consumer) =>
        consumer.OpType == "Conv" || (consumer.OpType == "Gemm" && GraphEditor.IntAttribute(consumer, "transB", 0) != 0) ? 1 : 0;

    /// <summary>A Conv's <c>group</c> (its input channels in that many slices, each read by its own filters); 1 for other layers.</summary>
    public static int Groups(NodeProto layer) => layer.OpType == "Conv" ? (int)GraphEditor.IntAttribute(layer, "group", 1) : 1;

    /// <summary>
    /// Removes the consumers' input channels not in <paramref name="keep"/>: cut, or replaced by
    /// <paramref name="refitted"/> weights (already without them) where the repair has some for the consumer.
    /// </summary>
    public static void RemoveInputs(GraphProto graph, GraphNames names, ChannelGroup group, int[] keep, IReadOnlyDictionary<NodeProto, RefittedWeights>? refitted = null)
    {
        var edit = new Edit(graph, names);
        foreach (var consumer in group.Consumers)
        {
            var node = consumer.Node;
            // A grouped Conv's weight holds one slice's channels, and every slice keeps the same (tied) positions: the
            // kept positions of the first slice are its kept columns.
            var stored = (int)edit.Read(node, 1).Dims[InputAxis(node)];
            var columns = consumer.Map.KeptColumns(group, keep, stored * Groups(node)).Where(c => c < stored).ToArray();
            if (refitted is not null && refitted.TryGetValue(node, out var weights))
            {
                edit.Replace(node, 1, weights.Dims, weights.Weights);
                if (weights.Bias is not null) edit.SetBias(node, weights.Bias);
            }
            else edit.Select(node, 1, InputAxis(node), columns);
            consumer.Map.Remove(group, keep);
        }
        GraphEditor.RemoveUnusedInitializers(graph);
    }

    /// <summary>Gives <paramref name="layer"/> re-fitted weights (and bias), as new initializers: the old ones may be shared.</summary>
    public static void ReplaceWeights(GraphProto graph, GraphNames names, NodeProto layer, RefittedWeights weights)
    {
        var edit = new Edit(graph, names);
        edit.Replace(layer, 1, weights.Dims, weights.Weights);
        if (weights.Bias is not null) edit.SetBias(layer, weights.Bias);
        GraphEditor.RemoveUnusedInitializers(graph);
    }

    // The initializer edits of one removal: each edited tensor becomes a new initializer, the original may be shared.
    private sealed class Edit(GraphProto graph, GraphNames names)
    {
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);

        public IReadOnlyDictionary<string, TensorProto> Initializers => _initializers;

        public TensorProto Read(NodeProto node, int input) => _initializers[node.Input[input]];

        public bool HasBias(NodeProto node) => node.Input.Count > 2 && node.Input[2].Length > 0;

        public void Replace(NodeProto node, int input, long[] dims, float[] values)
        {
            var tensor = TensorData.FromFloats(names.Next($"{node.Input[input]}_pruned"), dims, values);
            graph.Initializer.Add(tensor);
            _initializers[tensor.Name] = tensor;
            node.Input[input] = tensor.Name;
        }

        public void Select(NodeProto node, int input, int axis, int[] indices)
        {
            var tensor = Read(node, input);
            var (dims, values) = SelectAlong(tensor.Dims.ToArray(), TensorData.ReadFloats(tensor), axis, indices);
            Replace(node, input, dims, values);
        }

        // A consumer's bias after repair: a Conv's or Gemm's third input (added when it had none).
        public void SetBias(NodeProto node, float[] bias)
        {
            long[] dims = node.OpType == "Gemm" && HasBias(node) ? Read(node, 2).Dims.ToArray() : [bias.Length];
            if (dims.Aggregate(1L, (a, b) => a * b) != bias.Length) dims = [bias.Length];
            while (node.Input.Count < 3) node.Input.Add("");
            var tensor = TensorData.FromFloats(names.Next($"{node.Output[0]}_repaired_bias"), dims, bias);
            graph.Initializer.Add(tensor);
            _initializers[tensor.Name] = tensor;
            node.Input[2] = tensor.Name;
        }
    }

    /// <summary>The columns of the kept channels when each channel is <paramref name="spatial"/> consecutive features.</summary>
    public static int[] Expand(int[] channels, int spatial)
    {
        var columns = new int[channels.Length * spatial];
        for (var i = 0; i < channels.Length; i++)
        {
            for (var s = 0; s < spatial; s++) columns[(i * spatial) + s] = (channels[i] * spatial) + s;
        }
        return columns;
    }

    /// <summary>The entries of <paramref name="values"/> (shape <paramref name="dims"/>) at <paramref name="indices"/> along <paramref name="axis"/>.</summary>
    public static (long[] Dims, float[] Values) SelectAlong(long[] dims, float[] values, int axis, int[] indices)
    {
        long outer = 1, inner = 1;
        for (var d = 0; d < axis; d++) outer *= dims[d];
        for (var d = axis + 1; d < dims.Length; d++) inner *= dims[d];
        var size = dims[axis];
        var result = new float[outer * indices.Length * inner];
        for (long o = 0; o < outer; o++)
        {
            for (var i = 0; i < indices.Length; i++)
                values.AsSpan((int)(((o * size) + indices[i]) * inner), (int)inner).CopyTo(result.AsSpan((int)(((o * indices.Length) + i) * inner), (int)inner));
        }
        var newDims = (long[])dims.Clone();
        newDims[axis] = indices.Length;
        return (newDims, result);
    }
}

/// <summary>A consumer's weights re-fitted to the kept input channels, and its new bias (null: unchanged).</summary>
internal sealed record RefittedWeights(long[] Dims, float[] Weights, float[]? Bias);
