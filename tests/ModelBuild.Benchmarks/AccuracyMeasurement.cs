namespace ModelBuild.Benchmarks;

/// <summary>A variant's accuracy as shown in the table, and its predictions, to compare variants input by input.</summary>
public sealed record AccuracyMeasurement(string Summary, IReadOnlyList<string> Predictions)
{
    public double AgreementWith(AccuracyMeasurement reference) =>
        (double)Predictions.Where((prediction, i) => prediction == reference.Predictions[i]).Count() / Predictions.Count;
}
