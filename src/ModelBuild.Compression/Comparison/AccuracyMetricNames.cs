namespace ModelBuild.Compression.Comparison;

/// <summary>The words reports, budgets and the build log use for each <see cref="AccuracyMetric"/>.</summary>
public static class AccuracyMetricNames
{
    /// <summary>A short name for table headers and sentences: <c>top-1</c>, <c>character accuracy</c>...</summary>
    public static string ShortName(this AccuracyMetric metric) => metric switch
    {
        AccuracyMetric.Top1 => "top-1",
        AccuracyMetric.Top1Agreement => "top-1 agreement",
        AccuracyMetric.CharacterAccuracy => "character accuracy",
        AccuracyMetric.TextAgreement => "text agreement",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>The metric explained in a phrase, for the line that says what the accuracy column means.</summary>
    public static string Description(this AccuracyMetric metric) => metric switch
    {
        AccuracyMetric.Top1 => "top-1 on the labels",
        AccuracyMetric.Top1Agreement => "agreement of top-1 with the original (no labels)",
        AccuracyMetric.CharacterAccuracy => "character accuracy on the text labels, 1 − CER (case-sensitive edit distance over the labels' characters; greedy CTC decoding)",
        AccuracyMetric.TextAgreement => "agreement of the decoded text with the original's (greedy CTC decoding; no labels)",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    public static bool IsAgreement(this AccuracyMetric metric) => metric is AccuracyMetric.Top1Agreement or AccuracyMetric.TextAgreement;
}
