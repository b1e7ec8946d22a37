namespace ModelBuild.Compression.Comparison;

/// <summary>
/// What <see cref="ModelMeasurement.Accuracy"/> (the A of budgets and of <c>auto</c>'s L) measures. A model whose
/// first output is [1, T, C] (rank 3) is a CTC text recognizer and is scored on its greedily decoded text; any other
/// model is a classifier scored on the argmax of its first output.
/// </summary>
public enum AccuracyMetric
{
    /// <summary>Classifier with class labels: top-1.</summary>
    Top1,

    /// <summary>Classifier without labels: how often its top-1 equals the original model's.</summary>
    Top1Agreement,

    /// <summary>CTC recognizer with text labels: 1 - CER (case-sensitive), floored at 0.</summary>
    CharacterAccuracy,

    /// <summary>CTC recognizer without labels: how often its decoded sequence equals the original model's.</summary>
    TextAgreement,
}
