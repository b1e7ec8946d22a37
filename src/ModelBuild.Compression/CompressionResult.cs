using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression;

/// <summary>The compressed model and what the user should know about how it was compressed.</summary>
public sealed record CompressionResult(ModelProto Model, IReadOnlyList<CompressionWarning> Warnings);
