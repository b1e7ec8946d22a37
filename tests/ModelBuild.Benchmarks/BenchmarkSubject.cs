using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Quantization;

namespace ModelBuild.Benchmarks;

/// <summary>
/// A zoo model to benchmark: its file, how to score a variant, the inputs latency is timed on, and the inputs the
/// static <c>int8</c> recipe calibrates on (with the options that recipe needs for this model), and whether to add an
/// <c>int8-full</c> row (uint8 input and output; the runner quantizes the input and dequantizes the scores).
/// </summary>
public sealed record BenchmarkSubject(
    string Name,
    string ModelPath,
    string LabeledSetDescription,
    Func<ModelRunner, AccuracyMeasurement> MeasureAccuracy,
    Func<IReadOnlyList<ImageTensor>> LatencyInputs,
    Func<IReadOnlyList<ImageTensor>> CalibrationInputs,
    StaticQuantizationOptions Int8Options,
    bool WithInt8Full = false);
