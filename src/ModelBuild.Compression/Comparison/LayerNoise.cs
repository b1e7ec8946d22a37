namespace ModelBuild.Compression.Comparison;

/// <summary>
/// A weight-bearing layer (node) and the signal-to-quantization-noise ratio of its output against the float model,
/// in dB: 10 log10(sum x^2 / sum (x - y)^2) over the diagnosed inputs. Infinity when the outputs are identical.
/// </summary>
public sealed record LayerNoise(string NodeName, string OperatorType, string OutputName, double SqnrDecibels);
