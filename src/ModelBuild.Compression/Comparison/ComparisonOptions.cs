using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Comparison;

/// <summary>
/// How to measure: the inputs used for latency, warm-up rounds and timed rounds over them, and the charset that turns
/// a CTC recognizer's classes into text (needed only to score it against text labels).
/// </summary>
public sealed record ComparisonOptions
{
    public int LatencyInputs { get; init; } = 20;

    public int WarmupRounds { get; init; } = 1;

    public int LatencyRounds { get; init; } = 5;

    public Charset? Charset { get; init; }
}
