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
}
