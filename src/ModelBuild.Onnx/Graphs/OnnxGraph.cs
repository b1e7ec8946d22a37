using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>Graph-level helpers the compression passes share.</summary>
public static class OnnxGraph
{
    /// <summary>
    /// Turns top-level <c>Constant</c> nodes that hold numbers (attribute value, value_float(s), value_int(s)) into
    /// initializers named after the node's output, so passes that look at initializers see every weight (PP-OCRv4
    /// keeps all its weights in Constant nodes). String and sparse constants are left as nodes. Returns how many were
    /// hoisted. On an IR &lt; 4 model use <see cref="HoistConstants(ModelProto)"/>, which also fixes the IR version.
    /// </summary>
    public static int HoistConstants(GraphProto graph)
    {
        var hoisted = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "Constant" || !IsDefaultDomain(node.Domain) || node.Output.Count != 1)
                continue;
            var tensor = ConstantValue(node);
            if (tensor is null)
                continue;
            tensor.Name = node.Output[0];
            graph.Initializer.Add(tensor);
            graph.Node.RemoveAt(i);
            i--;
            hoisted++;
        }
        return hoisted;
    }

    /// <summary><see cref="HoistConstants(GraphProto)"/>, then raises an IR 3 model to IR 4 when anything moved.</summary>
    public static int HoistConstants(ModelProto model)
    {
        var hoisted = HoistConstants(model.Graph);
        if (hoisted > 0)
            EnsureIrAllowsInitializersWithoutInputs(model);
        return hoisted;
    }

    /// <summary>Graph inputs that are not initializers (IR 3 lists every initializer as an input too).</summary>
    public static IReadOnlyList<ValueInfoProto> RealInputs(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
    }

    /// <summary><paramref name="prefix"/>, or <c>prefix_N</c> with the smallest N, not used as a value, initializer
    /// or node name anywhere in the graph or its subgraphs. For many names in one rewrite, keep one <see cref="GraphNames"/>.</summary>
    public static string UniqueName(GraphProto graph, string prefix) => new GraphNames(graph).Next(prefix);

    /// <summary>
    /// Adds each named value that is not a graph output yet as one, so a session returns it too (calibration, layer
    /// diagnosis). A name alone is enough: ONNX Runtime infers the type of every node output when it resolves the graph.
    /// </summary>
    public static void ExposeAsOutputs(GraphProto graph, IEnumerable<string> names)
    {
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Length > 0 && outputs.Add(name))
                graph.Output.Add(new ValueInfoProto { Name = name });
        }
    }

    /// <summary>The imported opset version of <paramref name="domain"/> ("" and "ai.onnx" are the same); 0 when the
    /// model does not import it.</summary>
    public static long OpsetVersion(ModelProto model, string domain = "")
    {
        var wantsDefault = IsDefaultDomain(domain);
        var import = model.OpsetImport.FirstOrDefault(o => wantsDefault ? IsDefaultDomain(o.Domain) : o.Domain == domain);
        return import?.Version ?? 0;
    }

    /// <summary>IR 3 requires every initializer to also be a graph input; IR 4 lifts that. Passes that add
    /// initializers call this rather than adding inputs, which would let callers override weights.</summary>
    public static void EnsureIrAllowsInitializersWithoutInputs(ModelProto model)
    {
        if (model.IrVersion < 4)
            model.IrVersion = 4;
    }

    /// <summary>
    /// On IR 4 and later, removes the graph inputs that are initializers (left over from IR 3, which listed every
    /// initializer as an input): such an input is a default the caller may override, so ONNX Runtime cannot fold it
    /// as a constant. Returns how many were removed; an IR 3 model is left alone.
    /// </summary>
    public static int RemoveInitializerInputs(ModelProto model)
    {
        if (model.IrVersion < 4)
            return 0;
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => initializers.Contains(i.Name)).ToList();
        foreach (var input in inputs)
            model.Graph.Input.Remove(input);
        return inputs.Count;
    }

    internal static bool IsDefaultDomain(string domain) => domain is "" or "ai.onnx";

    private static TensorProto? ConstantValue(NodeProto node)
    {
        var attribute = node.Attribute.Count == 1 ? node.Attribute[0] : null;
        if (attribute is null || attribute.RefAttrName.Length > 0)
            return null;
        return attribute.Name switch
        {
            "value" when attribute.T is not null && attribute.T.DataType != (int)TensorProto.Types.DataType.String => attribute.T.Clone(),
            "value_float" => TensorData.FromFloats("", [], [attribute.F]),
            "value_floats" => TensorData.FromFloats("", [attribute.Floats.Count], attribute.Floats.ToArray()),
            "value_int" => TensorData.FromInt64("", [], [attribute.I]),
            "value_ints" => TensorData.FromInt64("", [attribute.Ints.Count], attribute.Ints.ToArray()),
            _ => null,
        };
    }

    /// <summary>Every value and node name in <paramref name="graph"/> and its subgraphs.</summary>
    public static HashSet<string> NamesIn(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        CollectNames(graph, names);
        return names;
    }

    internal static void CollectNames(GraphProto graph, HashSet<string> used)
    {
        used.UnionWith(graph.Input.Select(v => v.Name));
        used.UnionWith(graph.Output.Select(v => v.Name));
        used.UnionWith(graph.ValueInfo.Select(v => v.Name));
        used.UnionWith(graph.Initializer.Select(t => t.Name));
        used.UnionWith(graph.SparseInitializer.Select(s => s.Values?.Name ?? ""));
        foreach (var node in graph.Node)
        {
            used.Add(node.Name);
            used.UnionWith(node.Input);
            used.UnionWith(node.Output);
            foreach (var subgraph in node.Attribute.SelectMany(a => a.Graphs.Append(a.G)).OfType<GraphProto>())
                CollectNames(subgraph, used);
        }
    }
}
