namespace ModelBuild.Benchmarks;

/// <summary>One model and packed recipe measured by <see cref="ContainerBenchmark"/>: Decode as the generated class decodes (on <c>DecodeThreads</c> threads, of which at most <c>ThreadsDecoding</c> took part), SequentialDecode on one thread.</summary>
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
    TimeSpan SessionStartWithSequentialDecode,
    TimeSpan SessionOnly,
    TimeSpan DecodeAndSessionOnly,
    TimeSpan Decode,
    TimeSpan SequentialDecode,
    int DecodeThreads,
    int ThreadsDecoding,
    TimeSpan Checksum,
    TimeSpan FirstDecode,
    TimeSpan FirstDecodePoolStarted,
    TimeSpan FirstStart,
    TimeSpan FirstStartWithDecode);
