namespace ModelBuild.Compression.Quantization;

/// <summary>Int8 weights, same layout as the float tensor they came from, and one scale per channel.</summary>
public sealed record QuantizedWeights(sbyte[] Values, float[] Scales);
