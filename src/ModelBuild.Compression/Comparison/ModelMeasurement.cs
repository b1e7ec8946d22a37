namespace ModelBuild.Compression.Comparison;

/// <summary>
/// One model measured on an evaluation set. <see cref="Accuracy"/> is top-1 against the labels, or, without labels,
/// the agreement of its top-1 with the original model's (1 for the original itself); <see cref="AccuracyIsAgreement"/>
/// says which. <see cref="Top5"/> is null without labels or with fewer than 5 classes.
/// </summary>
public sealed record ModelMeasurement(
    string Name,
    double Accuracy,
    bool AccuracyIsAgreement,
    double? Top5,
    double LatencyMilliseconds,
    long StoredBytes,
    long MemoryBytes,
    int EvaluatedInputs);
