namespace ModelBuild.Compression.Comparison;

/// <summary>
/// One model measured on an evaluation set. <see cref="Accuracy"/> is what <see cref="Metric"/> names: top-1 against
/// class labels, character accuracy against text labels, or, without labels, agreement with the original model
/// (1 for the original itself). <see cref="Top5"/> is set for top-1 with 5 classes or more; <see cref="Text"/> for
/// character accuracy.
/// </summary>
public sealed record ModelMeasurement(
    string Name,
    double Accuracy,
    AccuracyMetric Metric,
    double? Top5,
    double LatencyMilliseconds,
    long StoredBytes,
    long MemoryBytes,
    int EvaluatedInputs,
    TextAccuracy? Text = null)
{
    public bool AccuracyIsAgreement => Metric.IsAgreement();

    /// <summary>Top-1 per class against labels (a classifier with labels); empty otherwise.</summary>
    public IReadOnlyList<ClassAccuracy> PerClass { get; init; } = [];
}
