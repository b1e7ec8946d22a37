using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StaticQuantization;

/// <summary>
/// Fresh value names for a graph, collected once: the rewrite adds thousands of names to big models, and scanning
/// the graph for each (OnnxGraph.UniqueName) would be quadratic.
/// </summary>
internal sealed class UniqueNames
{
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public UniqueNames(GraphProto graph)
    {
        used.UnionWith(graph.Input.Select(v => v.Name));
        used.UnionWith(graph.Output.Select(v => v.Name));
        used.UnionWith(graph.ValueInfo.Select(v => v.Name));
        used.UnionWith(graph.Initializer.Select(t => t.Name));
        foreach (var node in graph.Node)
        {
            used.Add(node.Name);
            used.UnionWith(node.Input);
            used.UnionWith(node.Output);
        }
    }

    public string Next(string prefix)
    {
        var candidate = prefix;
        for (var n = 1; !used.Add(candidate); n++)
            candidate = $"{prefix}_{n}";
        return candidate;
    }
}
