using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Opsets;

/// <summary>
/// Raises a model's default-domain opset (per-channel DequantizeLinear needs 13), rewriting the nodes whose
/// operators changed on the way and refusing, with the node and operator named, any change it does not know.
/// </summary>
public static class OpsetUpgrader
{
    public const long QuantizationOpset = 13;

    /// <summary>
    /// A copy of <paramref name="model"/> at opset <paramref name="targetOpset"/> (at most 13: later revisions are not
    /// covered). A model already at or above the target comes back as an unchanged copy.
    /// </summary>
    /// <exception cref="OpsetUpgradeException">a node's operator is unknown or changed in a way not converted.</exception>
    public static ModelProto Upgrade(ModelProto model, long targetOpset = QuantizationOpset)
    {
        if (targetOpset > QuantizationOpset)
            throw new ArgumentOutOfRangeException(nameof(targetOpset), targetOpset, $"the upgrader knows operator changes up to opset {QuantizationOpset}");
        var upgraded = model.Clone();
        var fromOpset = OnnxGraph.OpsetVersion(upgraded);
        if (fromOpset >= targetOpset)
            return upgraded;

        var graph = upgraded.Graph;
        var nodes = graph.Node.ToList();
        graph.Node.Clear();
        foreach (var node in nodes)
            graph.Node.AddRange(UpgradeNode(graph, node, fromOpset, targetOpset));

        foreach (var import in upgraded.OpsetImport.Where(o => o.Domain is "" or "ai.onnx"))
            import.Version = targetOpset;
        // IR 7 is the first to cover opset 13; ONNX Runtime checks that the IR version is recent enough for the opset.
        if (upgraded.IrVersion < 7)
            upgraded.IrVersion = 7;
        return upgraded;
    }

    private static IReadOnlyList<NodeProto> UpgradeNode(GraphProto graph, NodeProto node, long fromOpset, long targetOpset)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            return [node];
        if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
            throw new OpsetUpgradeException(node.Name, node.OpType, fromOpset, targetOpset, "nodes with subgraphs are not upgraded");
        var rewritten = NodeUpgrades.Upgrade(graph, node, fromOpset, targetOpset);
        if (rewritten is not null)
            return rewritten;
        if (OperatorChanges.UnchangedSince.TryGetValue(node.OpType, out var since) && fromOpset >= since)
            return [node];
        var reason = OperatorChanges.UnchangedSince.ContainsKey(node.OpType)
            ? $"the operator changed at opset {since} in a way this upgrader does not convert"
            : "the upgrader does not know this operator's changes";
        throw new OpsetUpgradeException(node.Name, node.OpType, fromOpset, targetOpset, reason);
    }
}
