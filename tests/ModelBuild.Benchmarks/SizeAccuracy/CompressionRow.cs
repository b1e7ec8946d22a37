namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>One step combination on one model: its recipe text, what was measured (null: skipped) and a note (warnings, or why skipped).</summary>
public sealed record CompressionRow(string Recipe, CompressionMeasurement? Measurement)
{
    public string Note { get; init; } = "";
}
