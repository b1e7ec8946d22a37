using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Sparsity;

/// <summary>A layer's weight tensor as the layer sees it: float values, dequantized when the model stores integers.</summary>
public sealed record LayerWeight(NodeProto Node, string TensorName, long[] Dims, float[] Values);
