using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Graphs;

/// <summary>The graph edits the passes share: finding consumers, replacing initializers, adding nodes up front.</summary>
internal static class GraphEditor
{
    /// <summary>How many node inputs read <paramref name="name"/>, subgraphs included (they may capture outer values).</summary>
    public static int ConsumerCount(GraphProto graph, string name)
    {
        var count = 0;
        foreach (var node in graph.Node)
        {
            count += node.Input.Count(input => input == name);
            foreach (var subgraph in node.Attribute.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
                count += ConsumerCount(subgraph, name);
        }
        return count;
    }

    /// <summary><see cref="ConsumerCount"/> of every name read in the graph at once, for passes that ask about many.</summary>
    public static Dictionary<string, int> ConsumerCounts(GraphProto graph)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(GraphProto g)
        {
            foreach (var node in g.Node)
            {
                foreach (var input in node.Input)
                    counts[input] = counts.GetValueOrDefault(input) + 1;
                foreach (var subgraph in node.Attribute.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
                    Count(subgraph);
            }
        }
        Count(graph);
        return counts;
    }

    public static bool IsGraphOutput(GraphProto graph, string name) => graph.Output.Any(o => o.Name == name);

    /// <summary>
    /// Removes the initializer and the graph input of the same name (IR 3 lists initializers as inputs; left alone it
    /// would turn into a real input the caller must feed).
    /// </summary>
    public static void RemoveInitializer(GraphProto graph, TensorProto initializer)
    {
        graph.Initializer.Remove(initializer);
        var input = graph.Input.FirstOrDefault(i => i.Name == initializer.Name);
        if (input is not null) graph.Input.Remove(input);
    }

    /// <summary>Every read of <paramref name="from"/> (subgraphs included) reads <paramref name="to"/> instead.</summary>
    public static void RenameReads(GraphProto graph, string from, string to)
    {
        foreach (var node in graph.Node)
        {
            for (var j = 0; j < node.Input.Count; j++)
            {
                if (node.Input[j] == from) node.Input[j] = to;
            }
            foreach (var subgraph in node.Attribute.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
                RenameReads(subgraph, from, to);
        }
    }

    /// <summary>Removes the initializers no node reads and no graph output names.</summary>
    public static void RemoveUnusedInitializers(GraphProto graph)
    {
        var read = ConsumerCounts(graph);
        foreach (var unused in graph.Initializer.Where(t => !read.ContainsKey(t.Name) && !IsGraphOutput(graph, t.Name)).ToList())
            RemoveInitializer(graph, unused);
    }

    /// <summary>Puts <paramref name="nodes"/> first, where they precede every consumer (graphs are topologically sorted).</summary>
    public static void PrependNodes(GraphProto graph, IEnumerable<NodeProto> nodes)
    {
        var existing = graph.Node.ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        graph.Node.AddRange(existing);
    }

    public static void EnsureOpsetImport(ModelProto model, string domain, long version)
    {
        if (model.OpsetImport.All(o => o.Domain != domain))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
    }

    public static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long IntAttribute(NodeProto node, string name, long defaultValue) => Attribute(node, name)?.I ?? defaultValue;

    public static float FloatAttribute(NodeProto node, string name, float defaultValue) => Attribute(node, name)?.F ?? defaultValue;
}
