namespace ModelBuild.Compression.Evaluation;

/// <summary>Top-1 and top-5 results of a classifier over a labeled set, with every top-1 prediction.</summary>
public sealed record ClassificationReport(int Count, int Top1Correct, int Top5Correct, IReadOnlyList<int> Predictions)
{
    public double Top1 => (double)Top1Correct / Count;

    public double Top5 => (double)Top5Correct / Count;

    /// <summary>The fraction of inputs on which both models predict the same class (right or wrong).</summary>
    public double AgreementWith(ClassificationReport other)
    {
        if (other.Count != Count)
            throw new ArgumentException($"agreement needs reports over the same inputs: {Count} here, {other.Count} there", nameof(other));
        var same = Predictions.Where((prediction, i) => prediction == other.Predictions[i]).Count();
        return (double)same / Count;
    }
}
