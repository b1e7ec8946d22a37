namespace ModelBuild.Benchmarks;

/// <summary>The numbers measured for one variant, side by side with the others of its model.</summary>
public sealed record VariantMeasurement(
    long StoredBytes,
    double SizeRatio,
    AccuracyMeasurement Accuracy,
    double AgreementWithFp32,
    TimeSpan LatencyPerInput,
    double LatencyRatio,
    TimeSpan SessionStart,
    long PeakWorkingSetBytes);
