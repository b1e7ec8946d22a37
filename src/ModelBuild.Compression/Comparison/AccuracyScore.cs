namespace ModelBuild.Compression.Comparison;

/// <summary>One model's accuracy on the evaluation set, as <see cref="AccuracyScoring"/> measures it.</summary>
public sealed record AccuracyScore(double Accuracy, AccuracyMetric Metric, double? Top5 = null, TextAccuracy? Text = null)
{
    /// <summary>Top-1 per class, for a classifier scored against labels; empty otherwise.</summary>
    public IReadOnlyList<ClassAccuracy> PerClass { get; init; } = [];
}
