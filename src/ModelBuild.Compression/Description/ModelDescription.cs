using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Description;

/// <summary>What the model description file records about one compressed model (docs/internals.md).</summary>
/// <param name="Recipe">The recipe name, e.g. <c>int8-dynamic</c>.</param>
/// <param name="OriginalBytes">Size of the model file before compression.</param>
/// <param name="StoredBytes">Size of the compressed model as written and embedded.</param>
/// <param name="CompressedModel">The compressed model: its signature and opset are what the generated class runs.</param>
/// <param name="DecodedBytes">For a ModelBuild container (a <c>+huffman</c> recipe), the size of the ONNX model it decodes to; null for a plain ONNX file.</param>
public sealed record ModelDescription(string Recipe, long OriginalBytes, long StoredBytes, ModelProto CompressedModel, long? DecodedBytes = null)
{
    /// <summary>The target CPU and the scheme of the int8 weights; written only for a model that runs integer kernels.</summary>
    public (Targets.TargetCpu Target, Targets.Int8Scheme Scheme)? IntegerKernels { get; init; }

    /// <summary>For a quantization-aware trained export that compression folded, what was folded; null otherwise.</summary>
    public string? QuantizationAwareTraining { get; init; }
}
