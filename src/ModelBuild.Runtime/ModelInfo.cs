namespace ModelBuild.Runtime;

/// <summary>What was embedded for one model: where it lives in the assembly and what compression did to it.</summary>
/// <param name="ResourceName">The manifest resource holding the compressed model.</param>
/// <param name="Recipe">The compression recipe actually used (<c>none</c>, <c>fp16</c>, <c>int8-dynamic</c>, <c>int8</c>, <c>int8-full</c>, or one of them <c>+huffman</c>).</param>
/// <param name="OriginalBytes">Size of the model file before compression.</param>
/// <param name="StoredBytes">Size of the embedded resource (for a <c>+huffman</c> recipe, the ModelBuild container).</param>
/// <param name="InputNames">The model's input tensors, in graph order.</param>
/// <param name="OutputNames">The model's output tensors, in graph order.</param>
public sealed record ModelInfo(
    string ResourceName,
    string Recipe,
    long OriginalBytes,
    long StoredBytes,
    IReadOnlyList<string> InputNames,
    IReadOnlyList<string> OutputNames)
{
    /// <summary>
    /// Size of the ONNX model handed to ONNX Runtime: what a ModelBuild container (a <c>+huffman</c> recipe) decodes
    /// to in memory, or <see cref="StoredBytes"/> when the resource is a plain ONNX file.
    /// </summary>
    public long DecodedBytes { get; init; } = StoredBytes;

    /// <summary>
    /// The CPUs the model was compressed for (<c>portable</c>, <c>x64-vnni</c>, <c>x64-avx2</c>, <c>arm64</c>);
    /// null when it runs no integer kernels, whose results would depend on the CPU.
    /// </summary>
    public string? TargetCpu { get; init; }

    /// <summary>
    /// How its int8 weights meet ONNX Runtime's integer kernels: <c>u8s7</c> (7-bit weights) and <c>u8u8</c> (uint8
    /// weights) give the same integers on every CPU; <c>u8s8</c> (full-range int8) is exact only with VNNI, AMX or
    /// on ARM64, so on other x64 CPUs the generated class asks ONNX Runtime for its exact, slower kernels. Null when
    /// the model runs no integer kernels.
    /// </summary>
    public string? Int8Scheme { get; init; }

    /// <summary>
    /// For a quantization-aware trained export (PyTorch's fake-quantized form) that compression folded into int8, what
    /// was folded (weights into their int8 integers, BatchNormalization into the Conv, completed QuantizeLinear /
    /// DequantizeLinear pairs); null for any other model.
    /// </summary>
    public string? QuantizationAwareTraining { get; init; }
}
