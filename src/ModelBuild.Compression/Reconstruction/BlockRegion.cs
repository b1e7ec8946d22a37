using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// The nodes between two consecutive cut values of a graph (values every path from the input to the output passes
/// through): <paramref name="Input"/> is the only value from before them they read, <paramref name="Output"/> the only
/// one after them that reads anything of theirs. For ResNet-20: the stem, each residual block (conv-relu-conv, Add,
/// Relu), the pooling, the computed Reshape, the classifier.
/// </summary>
internal sealed record BlockRegion(string Input, string Output, IReadOnlyList<NodeProto> Nodes)
{
    /// <summary>A short name for progress lines: the output value.</summary>
    public string Name => Output;
}
