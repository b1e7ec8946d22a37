namespace ModelBuild.Compression.Comparison;

/// <summary>One model's accuracy on the evaluation set, as <see cref="AccuracyScoring"/> measures it.</summary>
public sealed record AccuracyScore(double Accuracy, AccuracyMetric Metric, double? Top5 = null, TextAccuracy? Text = null);
