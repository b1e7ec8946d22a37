namespace ModelBuild.Compression.Evaluation;

/// <summary>A model's first output as float32, with the shape ONNX Runtime returned (not the declared one).</summary>
public sealed record ModelOutput(float[] Values, long[] Shape);
