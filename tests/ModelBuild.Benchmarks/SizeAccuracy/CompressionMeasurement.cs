namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>
/// What one step combination gave: stored bytes (the container for a packed recipe), the original's bytes over them,
/// the accuracy of the decoded model, the CPU seconds the compression took in this process, and the latency ratio to
/// fp32 (set once the model's variants have been timed together).
/// </summary>
public sealed record CompressionMeasurement(long StoredBytes, double Ratio, AccuracyMeasurement Accuracy, double CpuSeconds)
{
    public double Latency { get; set; } = double.NaN;
}
