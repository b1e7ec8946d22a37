namespace ModelBuild.Compression.Data;

/// <summary>A float32 tensor in NCHW order with its shape (batch 1 for one image).</summary>
public sealed record ImageTensor(float[] Values, long[] Shape);
