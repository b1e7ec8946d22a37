using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;

namespace ModelBuild.Benchmarks;

/// <summary>A zoo model to benchmark: its file, how to score a variant, and the inputs latency is timed on.</summary>
public sealed record BenchmarkSubject(
    string Name,
    string ModelPath,
    string LabeledSetDescription,
    Func<ModelRunner, AccuracyMeasurement> MeasureAccuracy,
    Func<IReadOnlyList<ImageTensor>> LatencyInputs);
