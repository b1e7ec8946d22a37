using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression;

/// <summary>The compressed model and what the user should know about how it was compressed.</summary>
/// <remarks><see cref="Model"/> is the ONNX model ONNX Runtime runs; for a packed recipe, what the container decodes to.</remarks>
public sealed record CompressionResult(ModelProto Model, IReadOnlyList<CompressionWarning> Warnings)
{
    /// <summary>The ModelBuild container a <c>+huffman</c> recipe stores instead of the ONNX file; null otherwise.</summary>
    public byte[]? Container { get; init; }

    /// <summary>How the model's int8 weights meet ONNX Runtime's integer kernels; null when it runs none (fp16, float).</summary>
    public Targets.Int8Scheme? Scheme { get; init; }

    /// <summary>The recipe that really ran, where it is not the one asked: an already quantized model passes through
    /// as <c>none</c> (<c>huffman</c> for a packed recipe). Null when the asked recipe ran.</summary>
    public Recipe? AppliedRecipe { get; init; }

    /// <summary>What cleaning an already-quantized export changed (no value changes); all zero otherwise.</summary>
    public Quantization.QuantizedExportCleanup Cleanup { get; init; }

    /// <summary>What folding a fake-quantized QAT export changed; <see cref="Quantization.FakeQuantFolding.None"/> otherwise.</summary>
    public Quantization.FakeQuantFolding Folding { get; init; } = Quantization.FakeQuantFolding.None;

    /// <summary>The name to describe and report the result under: <see cref="AppliedRecipe"/>, else <paramref name="asked"/>.</summary>
    public string RecipeName(Recipe asked) => (AppliedRecipe ?? asked).Name;

    /// <summary>What is written and embedded: the container, or the model's ONNX bytes.</summary>
    public byte[] StoredBytes() => Container ?? OnnxModelFile.ToBytes(Model);
}
