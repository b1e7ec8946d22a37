using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Sparsity;

/// <summary>Counts the exact zeros in each layer's weight, dequantized (an int8 weight equal to its zero point is a zero).</summary>
public static class SparsityMeter
{
    public static ModelSparsity Measure(ModelProto model) =>
        new(LayerWeights.Read(model)
            .Select(w => new LayerSparsity(w.Node.Name, w.Node.OpType, w.TensorName, w.Values.Length, w.Values.LongCount(v => v == 0)))
            .ToList());
}
