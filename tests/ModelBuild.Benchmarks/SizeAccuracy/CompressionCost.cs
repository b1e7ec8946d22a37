namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>What compressing a model with one recipe cost a fresh process: CPU seconds (all threads) and peak working set.</summary>
public sealed record CompressionCost(string Recipe, double CpuSeconds, long PeakWorkingSetBytes);
