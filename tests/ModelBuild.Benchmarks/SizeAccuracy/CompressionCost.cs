namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>
/// What compressing a model with one recipe cost a fresh process: CPU seconds (all threads) and peak working set; for
/// <c>auto</c>, also the recipe it chose and how many candidates it measured.
/// </summary>
public sealed record CompressionCost(string Recipe, double CpuSeconds, long PeakWorkingSetBytes)
{
    public string? Chosen { get; init; }

    public int Candidates { get; init; }
}
