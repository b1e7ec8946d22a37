using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Graphs;

/// <summary>
/// The last step of every recipe that changes the graph. The passes name what they add after what it came from
/// (<c>ReLU32_Output_0_zero_point</c>, <c>Parameter5_dequantized_dequantize</c>) so their rewrites stay readable, but
/// in a small model they cost as much as a large share of the weights (in MNIST's int8 file, about two thirds of the
/// weights' bytes). Every value the compressor added gets the shortest free name, most used first, and every node it
/// added no name.
/// The original model's value and node names stay, since layer diagnosis and <c>ExcludeNodes</c> refer to them, and
/// so do graph inputs and outputs (the generated class's signature) and every name a subgraph uses.
/// </summary>
public static class IntroducedNameShortener
{
    /// <param name="original">The model the recipe started from; its names are kept.</param>
    /// <param name="compressed">The recipe's result, renamed in place.</param>
    /// <returns>How many values were renamed.</returns>
    public static int Shorten(ModelProto original, ModelProto compressed)
    {
        var graph = compressed.Graph;
        var originalNames = OnnxGraph.NamesIn(original.Graph);
        var kept = new HashSet<string>(originalNames, StringComparer.Ordinal) { "" };
        kept.UnionWith(graph.Input.Select(v => v.Name));
        kept.UnionWith(graph.Output.Select(v => v.Name));
        kept.UnionWith(graph.SparseInitializer.Select(s => s.Values?.Name ?? ""));
        var subgraphNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subgraph in graph.Node.SelectMany(n => n.Attribute).SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
            subgraphNames.UnionWith(OnnxGraph.NamesIn(subgraph));
        kept.UnionWith(subgraphNames);

        var renames = ShortNames(graph, kept);
        foreach (var initializer in graph.Initializer)
            initializer.Name = Renamed(renames, initializer.Name);
        foreach (var node in graph.Node)
        {
            Rename(node.Input, renames);
            Rename(node.Output, renames);
            if (!originalNames.Contains(node.Name)) node.Name = "";
        }
        foreach (var value in graph.ValueInfo)
            value.Name = Renamed(renames, value.Name);
        RemoveStaleValueInfo(graph, subgraphNames);
        return renames.Count;
    }

    /// <summary>The added values by how often their name is written, most first, so they get the shortest names; ties in graph order.</summary>
    private static Dictionary<string, string> ShortNames(GraphProto graph, HashSet<string> kept)
    {
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        void Count(string name)
        {
            if (kept.Contains(name)) return;
            if (uses.TryAdd(name, 1)) order.Add(name);
            else uses[name]++;
        }
        foreach (var initializer in graph.Initializer) Count(initializer.Name);
        foreach (var node in graph.Node)
        {
            foreach (var name in node.Input) Count(name);
            foreach (var name in node.Output) Count(name);
        }

        var names = new GraphNames(graph);
        return order.OrderByDescending(name => uses[name]).ToDictionary(name => name, _ => names.NextShort(), StringComparer.Ordinal);
    }

    /// <summary>A value_info entry describes a value; one whose value a pass removed (a folded Add's output) describes nothing.</summary>
    private static void RemoveStaleValueInfo(GraphProto graph, HashSet<string> subgraphNames)
    {
        var values = graph.Node.SelectMany(n => n.Input.Concat(n.Output))
            .Concat(graph.Initializer.Select(t => t.Name))
            .Concat(graph.Input.Concat(graph.Output).Select(v => v.Name))
            .ToHashSet(StringComparer.Ordinal);
        values.UnionWith(subgraphNames);
        foreach (var stale in graph.ValueInfo.Where(v => !values.Contains(v.Name)).ToList())
            graph.ValueInfo.Remove(stale);
    }

    private static string Renamed(Dictionary<string, string> renames, string name) => renames.GetValueOrDefault(name, name);

    private static void Rename(Google.Protobuf.Collections.RepeatedField<string> names, Dictionary<string, string> renames)
    {
        for (var i = 0; i < names.Count; i++)
            names[i] = Renamed(renames, names[i]);
    }
}
