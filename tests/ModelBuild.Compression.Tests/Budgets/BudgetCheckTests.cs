using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;

namespace ModelBuild.Compression.Tests.Budgets;

public sealed class BudgetCheckTests
{
    private static readonly ModelMeasurement Original = new("original", 0.90, AccuracyMetric.Top1, null, 2.0, 10_000, 10_000, 1000);

    [Fact]
    public void Each_budget_gets_a_verdict_that_says_by_how_much_it_was_missed()
    {
        var candidate = Original with { Name = "int8", Accuracy = 0.88, StoredBytes = 3_000, LatencyMilliseconds = 1.8 };
        var budget = new Budget(new AccuracyDrop(1, IsRelative: false), MaxSizeBytes: 2_500, MaxLatencyRatio: 0.8);

        var verdicts = BudgetCheck.Verdicts(budget, Original, candidate).ToDictionary(v => v.Budget);

        Assert.False(verdicts["MaxAccuracyDrop"].Met);
        Assert.Contains("1.00 points below", verdicts["MaxAccuracyDrop"].Miss);
        Assert.False(verdicts["MaxSize"].Met);
        Assert.Contains("500 bytes over", verdicts["MaxSize"].Miss);
        Assert.False(verdicts["MaxLatencyRatio"].Met);
        Assert.Contains("0.9x of the original, 0.1 over", verdicts["MaxLatencyRatio"].Miss);
    }

    [Fact]
    public void A_candidate_within_every_budget_meets_them_all_even_at_the_limit()
    {
        var candidate = Original with { Accuracy = 0.891, StoredBytes = 2_500, LatencyMilliseconds = 1.6 };
        var budget = new Budget(new AccuracyDrop(1, IsRelative: true), MaxSizeBytes: 2_500, MaxLatencyRatio: 0.8);

        Assert.All(BudgetCheck.Verdicts(budget, Original, candidate), v => Assert.True(v.Met, v.Budget));
    }

    [Fact]
    public void An_accuracy_gain_reads_as_points_above_the_original()
    {
        var candidate = Original with { Accuracy = 0.9034 };
        var budget = new Budget(new AccuracyDrop(1, IsRelative: false));

        var verdict = Assert.Single(BudgetCheck.Verdicts(budget, Original, candidate));

        Assert.Equal("top-1 90.34 % (0.34 points above 90.00 %)", verdict.Measured);
    }
}
