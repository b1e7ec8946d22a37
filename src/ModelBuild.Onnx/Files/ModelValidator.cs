using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>
/// Structural checks after parsing. Protobuf happily parses many byte strings (unknown fields are kept, a cut at a
/// field boundary parses as a shorter message), so "it parsed" does not mean "it is a model".
/// </summary>
internal static class ModelValidator
{
    /// <summary>What is wrong with the model, or null when it is structurally sound.</summary>
    public static string? FindProblem(ModelProto model)
    {
        if (model.IrVersion <= 0)
            return $"ir_version is {model.IrVersion}; expected 1 or more. The file is probably not an ONNX model";
        if (model.Graph is null)
            return "the model has no graph; expected a ModelProto with a graph (field 7). The file is probably not an ONNX model, or it is truncated";
        if (model.IrVersion >= 3 && model.OpsetImport.Count == 0)
            return $"ir_version is {model.IrVersion} but opset_import is empty; expected at least the default-domain opset";
        if (model.Graph.Output.Count == 0)
            return "the graph has no outputs; expected at least one. The file is probably truncated or not an ONNX model";
        return FindGraphProblem(model.Graph, isTopLevel: true)
            ?? model.Functions.SelectMany(f => f.Node).Select(FindNodeProblem).FirstOrDefault(p => p is not null);
    }

    private static string? FindGraphProblem(GraphProto graph, bool isTopLevel)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        defined.UnionWith(graph.Input.Select(i => i.Name));
        defined.UnionWith(graph.Initializer.Select(t => t.Name));
        defined.UnionWith(graph.SparseInitializer.Select(s => s.Values?.Name ?? ""));

        foreach (var tensor in graph.Initializer)
        {
            if (string.IsNullOrEmpty(tensor.Name))
                return "an initializer has no name; expected every initializer to be named";
            if (TensorData.PayloadProblem(tensor) is { } problem)
                return $"initializer '{tensor.Name}' {problem}. The file is probably truncated or corrupt";
        }
        foreach (var node in graph.Node)
        {
            if (FindNodeProblem(node) is { } problem)
                return problem;
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                if (!defined.Add(output) && isTopLevel)
                    return $"value '{output}' is produced twice (again by node '{node.Name}'); expected every value to have one producer";
            }
        }
        // Subgraphs may read values of the enclosing graph, so references are only checkable at the top level.
        if (!isTopLevel)
            return null;
        foreach (var node in graph.Node)
        {
            var missing = node.Input.FirstOrDefault(i => i.Length > 0 && !defined.Contains(i));
            if (missing is not null)
                return $"node '{node.Name}' ({node.OpType}) reads '{missing}', which no graph input, initializer or node provides. The file is probably truncated or corrupt";
        }
        var missingOutput = graph.Output.FirstOrDefault(o => !defined.Contains(o.Name));
        return missingOutput is null ? null
            : $"graph output '{missingOutput.Name}' is not produced by any node, input or initializer. The file is probably truncated or corrupt";
    }

    private static string? FindNodeProblem(NodeProto node)
    {
        if (string.IsNullOrEmpty(node.OpType))
            return $"node '{node.Name}' has no op_type; expected an operator name such as Conv";
        foreach (var attribute in node.Attribute)
        {
            foreach (var tensor in attribute.Tensors.Append(attribute.T).OfType<TensorProto>())
            {
                if (TensorData.PayloadProblem(tensor) is { } tensorProblem)
                    return $"node '{node.Name}' ({node.OpType}) attribute '{attribute.Name}' holds tensor '{tensor.Name}', which {tensorProblem}. The file is probably truncated or corrupt";
            }
            foreach (var subgraph in attribute.Graphs.Append(attribute.G).OfType<GraphProto>())
            {
                if (FindGraphProblem(subgraph, isTopLevel: false) is { } graphProblem)
                    return graphProblem;
            }
        }
        return null;
    }
}
