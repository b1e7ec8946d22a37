namespace ModelBuild.Benchmarks;

/// <summary>
/// A variant's accuracy as shown in the table, and its predictions, to compare variants input by input; <see cref="Points"/>
/// is the headline number in percent (top-1, or the character error rate when <see cref="LowerIsBetter"/>).
/// </summary>
public sealed record AccuracyMeasurement(string Summary, IReadOnlyList<string> Predictions)
{
    public double Points { get; init; } = double.NaN;

    public bool LowerIsBetter { get; init; }

    /// <summary>How many points worse this is than <paramref name="reference"/> (negative: better).</summary>
    public double DropFrom(AccuracyMeasurement reference) => LowerIsBetter ? Points - reference.Points : reference.Points - Points;

    public double AgreementWith(AccuracyMeasurement reference) =>
        (double)Predictions.Where((prediction, i) => prediction == reference.Predictions[i]).Count() / Predictions.Count;
}
