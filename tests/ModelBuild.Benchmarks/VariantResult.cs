namespace ModelBuild.Benchmarks;

/// <summary>One row of RESULTS.md: one recipe applied to one model, measured.</summary>
public sealed record VariantResult(
    string Model,
    string Recipe,
    string Warnings,
    long StoredBytes,
    double SizeRatio,
    AccuracyMeasurement Accuracy,
    double AgreementWithFp32,
    TimeSpan LatencyPerInput,
    double LatencyRatio,
    TimeSpan SessionStart,
    long PeakWorkingSetBytes);
