namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>A model's rows (the first is <c>none</c>, the fp32 reference), its size goal and the cost of compressing it.</summary>
public sealed record CompressionModelResult(string Model, long OriginalBytes, double GoalRatio, IReadOnlyList<CompressionRow> Rows, CompressionCost Cost)
{
    /// <summary>What <c>auto</c> cost on this model (issue 11 item 6); null when it was not run.</summary>
    public CompressionCost? AutoCost { get; init; }

    public AccuracyMeasurement Reference => Rows[0].Measurement!.Accuracy;

    /// <summary>The smallest measured row within one point of fp32, or null.</summary>
    public CompressionRow? BestWithinOnePoint => Rows
        .Where(row => row.Measurement is { } m && m.Accuracy.DropFrom(Reference) <= 1.0)
        .MaxBy(row => row.Measurement!.Ratio);
}
