namespace ModelBuild.Benchmarks;

/// <summary>One model and packed recipe measured by <see cref="ContainerBenchmark"/>.</summary>
public sealed record ContainerMeasurement(
    string Model,
    string Recipe,
    long DecodedBytes,
    long ContainerBytes,
    Compression.Packing.PackedWeightStatistics Weights,
    long XzBytes,
    double ContextSavingBytes,
    TimeSpan SessionStart,
    TimeSpan SessionStartWithDecode,
    TimeSpan SessionOnly,
    TimeSpan DecodeAndSessionOnly,
    TimeSpan Decode,
    TimeSpan Checksum,
    TimeSpan FirstDecode);
