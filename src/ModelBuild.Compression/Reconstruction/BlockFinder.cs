using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// Cuts a graph (one real input, nodes in topological order as ONNX requires) into <see cref="BlockRegion"/>s: after
/// each node, the values produced so far (or the input) that a later node or the graph's outputs still read are
/// counted; where there is exactly one, every path passes through it and a region ends (a Relu that would be a
/// region alone joins the one before it). Initializers are constants,
/// not values, and never count.
/// </summary>
internal static class BlockFinder
{
    public static IReadOnlyList<BlockRegion> Find(GraphProto graph)
    {
        var inputs = OnnxGraph.RealInputs(graph).Select(i => i.Name).ToList();
        if (inputs.Count != 1) return [];
        var constants = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = graph.Node;
        // The last node that reads each value (graph outputs: read after every node).
        var lastRead = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var name in nodes[i].Input.Where(n => n.Length > 0 && !constants.Contains(n))) lastRead[name] = i;
        }
        foreach (var name in outputs) lastRead[name] = nodes.Count;

        var regions = new List<BlockRegion>();
        var live = new HashSet<string>(StringComparer.Ordinal) { inputs[0] };
        var start = 0;
        var cut = inputs[0];
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var name in nodes[i].Output.Where(n => n.Length > 0)) live.Add(name);
            live.RemoveWhere(name => !lastRead.TryGetValue(name, out var last) || last <= i);
            if (live.Count != 1) continue;
            var value = live.First();
            if (value == cut) continue;
            var span = nodes.Skip(start).Take(i + 1 - start).ToList();
            // A Relu alone after a region (a residual block's last one) belongs to it: the block's output is the activation.
            if (regions.Count > 0 && span.All(n => n.OpType == "Relu"))
                regions[^1] = new BlockRegion(regions[^1].Input, value, [.. regions[^1].Nodes, .. span]);
            else regions.Add(new BlockRegion(cut, value, span));
            start = i + 1;
            cut = value;
        }
        return regions;
    }
}
