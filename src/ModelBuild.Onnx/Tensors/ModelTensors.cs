using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>Every tensor a model holds, wherever it lives: initializers, Constant-node and other tensor
/// attributes, sparse initializers, subgraphs of If/Loop/Scan, and function bodies.</summary>
public static class ModelTensors
{
    public static IEnumerable<TensorProto> All(ModelProto model)
    {
        var fromGraph = model.Graph is null ? [] : InGraph(model.Graph);
        var fromFunctions = model.Functions.SelectMany(f => f.Node).SelectMany(InNode);
        return fromGraph.Concat(fromFunctions);
    }

    public static IEnumerable<TensorProto> InGraph(GraphProto graph)
    {
        foreach (var tensor in graph.Initializer)
            yield return tensor;
        foreach (var sparse in graph.SparseInitializer)
        {
            if (sparse.Values is not null) yield return sparse.Values;
            if (sparse.Indices is not null) yield return sparse.Indices;
        }
        foreach (var tensor in graph.Node.SelectMany(InNode))
            yield return tensor;
    }

    private static IEnumerable<TensorProto> InNode(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            if (attribute.T is not null) yield return attribute.T;
            foreach (var tensor in attribute.Tensors)
                yield return tensor;
            foreach (var sparse in attribute.SparseTensors.Append(attribute.SparseTensor))
            {
                if (sparse?.Values is not null) yield return sparse.Values;
                if (sparse?.Indices is not null) yield return sparse.Indices;
            }
            foreach (var subgraph in attribute.Graphs.Append(attribute.G))
            {
                if (subgraph is null) continue;
                foreach (var tensor in InGraph(subgraph))
                    yield return tensor;
            }
        }
    }
}
