using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Clustering;

/// <summary>
/// A weight to cluster: the tensor, the axis of its output channels, the layer that reads it and that layer's input
/// (null when unknown: its elements then weigh alike), and for an integer weight its DequantizeLinear's scales and
/// zero points (null for a float weight).
/// </summary>
internal sealed record ClusterTarget(TensorProto Weight, int Axis, NodeProto? Layer, LayerInput? Input)
{
    public float[]? Scales { get; init; }

    public TensorProto? ZeroPoints { get; init; }
}
