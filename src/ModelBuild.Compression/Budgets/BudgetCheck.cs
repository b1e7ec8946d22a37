using System.Globalization;
using ModelBuild.Compression.Comparison;

namespace ModelBuild.Compression.Budgets;

/// <summary>Checks a candidate's measurement against each budget, relative to the original's.</summary>
public static class BudgetCheck
{
    public static IReadOnlyList<BudgetVerdict> Verdicts(Budget budget, ModelMeasurement original, ModelMeasurement candidate)
    {
        var verdicts = new List<BudgetVerdict>();
        var culture = CultureInfo.InvariantCulture;
        if (budget.MaxAccuracyDrop is { } drop)
        {
            var lowest = drop.LowestAllowed(original.Accuracy);
            // A tiny tolerance: accuracies are ratios of counts, and "no drop" must pass on an equal count.
            var met = candidate.Accuracy >= lowest - 1e-12;
            var points = (original.Accuracy - candidate.Accuracy) * 100;
            // Named after what was measured: "character accuracy" for a text recognizer, "top-1" for a classifier.
            var metric = original.Metric.ShortName();
            verdicts.Add(new BudgetVerdict("MaxAccuracyDrop", string.Create(culture, $"{drop} (at least {lowest:P2} {metric})"),
                string.Create(culture, $"{metric} {candidate.Accuracy:P2} ({Math.Abs(points):F2} points {(points < 0 ? "above" : "below")} {original.Accuracy:P2})"), met,
                met ? "" : string.Create(culture, $"{metric} {(lowest - candidate.Accuracy) * 100:F2} points below the lowest allowed {lowest:P2}")));
        }
        if (budget.MaxSizeBytes is { } size)
        {
            var met = candidate.StoredBytes <= size;
            verdicts.Add(new BudgetVerdict("MaxSize", string.Create(culture, $"{size:N0} bytes"),
                string.Create(culture, $"{candidate.StoredBytes:N0} bytes"), met,
                met ? "" : string.Create(culture, $"{candidate.StoredBytes - size:N0} bytes over the {size:N0} allowed")));
        }
        if (budget.MaxLatencyRatio is { } ratio)
        {
            var measured = candidate.LatencyMilliseconds / original.LatencyMilliseconds;
            var met = measured <= ratio;
            verdicts.Add(new BudgetVerdict("MaxLatencyRatio", string.Create(culture, $"{ratio:0.###}x"),
                string.Create(culture, $"{measured:0.###}x ({candidate.LatencyMilliseconds:0.###} ms vs {original.LatencyMilliseconds:0.###} ms)"), met,
                met ? "" : string.Create(culture, $"latency {measured:0.###}x of the original, {measured - ratio:0.###} over the {ratio:0.###}x allowed")));
        }
        return verdicts;
    }
}
