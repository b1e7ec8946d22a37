using ModelBuild.Compression.Comparison;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// The TFLite paper's selection objective, lower is better:
/// L = wS (S - S0) / S0 + wT (T - T0) / T0 + wA (A0 - A) / A0, with S the stored size, T the latency per input and
/// A the accuracy, each relative to the original (S0, T0, A0).
/// </summary>
public static class Objective
{
    public static double Loss(ObjectiveWeights weights, ModelMeasurement original, ModelMeasurement candidate) =>
        (weights.Size * Relative(candidate.StoredBytes, original.StoredBytes))
        + (weights.Latency * Relative(candidate.LatencyMilliseconds, original.LatencyMilliseconds))
        + (weights.Accuracy * Relative(original.Accuracy, candidate.Accuracy, original.Accuracy));

    private static double Relative(double value, double reference) => Relative(value, reference, reference);

    // An original that scores 0 (or takes no time) has no relative change to speak of: the term drops out.
    private static double Relative(double value, double minus, double reference) => reference > 0 ? (value - minus) / reference : 0;
}
