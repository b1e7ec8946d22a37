namespace ModelBuild.Benchmarks;

/// <summary>One row of RESULTS.md: one variant of one model, measured (or not, with the reason in <see cref="Notes"/>).</summary>
public sealed record VariantResult(string Model, string Recipe, string Notes, VariantMeasurement? Measurement);
