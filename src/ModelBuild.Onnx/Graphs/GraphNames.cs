using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>
/// Fresh value and node names for one graph. The names in use (subgraphs included, since their nodes may read outer
/// values) are collected once, and every name handed out is reserved: a rewrite that adds thousands of names stays
/// linear instead of rescanning the graph for each.
/// </summary>
public sealed class GraphNames
{
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public GraphNames(GraphProto graph) => OnnxGraph.CollectNames(graph, used);

    /// <summary><paramref name="prefix"/> itself when free, else the first free <c>prefix_1</c>, <c>prefix_2</c>, ...; reserved from then on.</summary>
    public string Next(string prefix)
    {
        var candidate = prefix;
        for (var n = 1; !used.Add(candidate); n++)
            candidate = $"{prefix}_{n}";
        return candidate;
    }
}
