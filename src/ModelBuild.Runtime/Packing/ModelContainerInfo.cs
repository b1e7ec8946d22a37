namespace ModelBuild.Runtime.Packing;

/// <summary>What a container's header says: its format version, its own size and the size of the ONNX model it decodes to.</summary>
public sealed record ModelContainerInfo(int FormatVersion, long StoredBytes, long DecodedBytes);
