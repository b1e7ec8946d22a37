using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Sparsity;

/// <summary>In-code pruned models: a test model with every other value of each layer weight set to exactly zero.</summary>
internal static class PrunedModels
{
    public static ModelProto ConvClassifierHalfZero()
    {
        var model = TestModels.ConvClassifier();
        var weights = model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm").Select(n => n.Input[1]).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < model.Graph.Initializer.Count; i++)
        {
            var tensor = model.Graph.Initializer[i];
            if (!weights.Contains(tensor.Name)) continue;
            var values = TensorData.ReadFloats(tensor);
            for (var v = 0; v < values.Length; v += 2) values[v] = 0;
            model.Graph.Initializer[i] = TensorData.FromFloats(tensor.Name, tensor.Dims.ToArray(), values);
        }
        return model;
    }
}
