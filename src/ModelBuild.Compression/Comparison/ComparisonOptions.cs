namespace ModelBuild.Compression.Comparison;

/// <summary>How hard to measure latency: the inputs used, warm-up rounds and timed rounds over them.</summary>
public sealed record ComparisonOptions
{
    public int LatencyInputs { get; init; } = 20;

    public int WarmupRounds { get; init; } = 1;

    public int LatencyRounds { get; init; } = 5;
}
