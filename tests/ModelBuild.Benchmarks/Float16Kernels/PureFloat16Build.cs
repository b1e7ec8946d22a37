namespace ModelBuild.Benchmarks.Float16Kernels;

/// <summary>A pure float16 graph (null when it could not be built or loaded) and what ONNX Runtime made of it, in words.</summary>
public sealed record PureFloat16Build(byte[]? Model, string Note);
