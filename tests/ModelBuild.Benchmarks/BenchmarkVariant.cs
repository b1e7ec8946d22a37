namespace ModelBuild.Benchmarks;

/// <summary>One compressed form of a model: its bytes (null when it could not be made, <see cref="Notes"/> says why) and its warnings or notes.</summary>
public sealed record BenchmarkVariant(string Name, byte[]? Bytes, string Notes);
