namespace ModelBuild.Compression.Inspection;

/// <summary>A ModelBuild container's format version, its size as stored and the size of the ONNX model it decodes to.</summary>
public sealed record ContainerSizes(int FormatVersion, long StoredBytes, long DecodedBytes);
