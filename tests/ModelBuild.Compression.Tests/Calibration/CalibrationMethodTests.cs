using ModelBuild.Compression.Calibration;

namespace ModelBuild.Compression.Tests.Calibration;

/// <summary>
/// The three methods on known distributions: 100,000 standard Gaussian samples plus 5 outliers at +-50. MinMax must
/// take the outliers; Percentile 99.99 and Entropy must clip them and keep most of the Gaussian (|x| &lt; 4.5 holds
/// 99.9993% of it).
/// </summary>
public sealed class CalibrationMethodTests
{
    private static TensorObserver GaussianWithOutliers(int seed = 7)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 100_000).Select(_ => Gaussian(random)).ToArray();
        values[10] = 50f; values[20] = -50f; values[30] = 48f; values[40] = 49f; values[50] = -47f;
        return Observed(values);
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static float HardSwish(float x) => x * Math.Clamp(x + 3, 0f, 6f) / 6;

    /// <summary>Observed in chunks of 1,000, as calibration sees tensors one input at a time.</summary>
    private static TensorObserver Observed(float[] values)
    {
        var observer = new TensorObserver();
        for (var start = 0; start < values.Length; start += 1000)
            observer.Observe(values.AsSpan(start, Math.Min(1000, values.Length - start)));
        return observer;
    }

    [Fact]
    public void MinMax_takes_the_outliers()
    {
        var range = RangeEstimator.Estimate(GaussianWithOutliers(), CalibrationMethod.MinMax);

        Assert.Equal(-50f, range.Min);
        Assert.Equal(50f, range.Max);
    }

    [Theory]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void Percentile_and_entropy_clip_the_outliers_and_keep_the_gaussian(CalibrationMethod method)
    {
        var range = RangeEstimator.Estimate(GaussianWithOutliers(), method, percentile: 99.99);

        Assert.InRange(range.Max, 2.5f, 10f);
        Assert.InRange(range.Min, -10f, -2.5f);
    }

    [Fact]
    public void Entropy_keeps_a_one_sided_range_starting_at_zero()
    {
        var random = new Random(3);
        // Relu-like: half zeros, half |Gaussian|.
        var observer = Observed(Enumerable.Range(0, 50_000).Select(i => i % 2 == 0 ? 0f : Math.Abs(Gaussian(random))).ToArray());

        var range = RangeEstimator.Estimate(observer, CalibrationMethod.Entropy);

        Assert.Equal(0f, range.Min);
        Assert.InRange(range.Max, 2f, observer.Max);
    }

    [Fact]
    public void Entropy_gives_a_nearly_one_sided_tensor_the_threshold_of_its_positive_side()
    {
        // Hard-swish of N(0, 2): 2% of its values lie in [-0.375, 0). Its grid, [-0.375, t] with 255 steps, has about
        // 250 levels above zero, so t must be about what the same values with the negatives set to 0 (255 levels) get
        // (the negatives still add to |x| near zero), not the lower t a grid of 128 levels per side would call best
        // (0.76 of it).
        var random = new Random(5);
        var values = Enumerable.Range(0, 200_000).Select(_ => HardSwish(2 * Gaussian(random))).ToArray();
        var oneSided = values.Select(v => Math.Max(v, 0f)).ToArray();

        var range = RangeEstimator.Estimate(Observed(values), CalibrationMethod.Entropy);
        var oneSidedRange = RangeEstimator.Estimate(Observed(oneSided), CalibrationMethod.Entropy);

        Assert.Equal(-0.375f, range.Min, 3);
        Assert.Equal(0f, oneSidedRange.Min);
        Assert.InRange(range.Max / oneSidedRange.Max, 0.85, 1.15);
    }

    [Fact]
    public void Entropy_of_a_symmetric_distribution_is_symmetric_and_covers_the_bulk()
    {
        var random = new Random(11);
        var observer = Observed(Enumerable.Range(0, 200_000).Select(_ => Gaussian(random)).ToArray());

        var range = RangeEstimator.Estimate(observer, CalibrationMethod.Entropy);

        // |x| < 3 holds 99.73% of a standard Gaussian; the threshold is one value for both sides, cut to what was seen.
        Assert.InRange(range.Max, 3f, observer.Max);
        Assert.Equal(Math.Max(-range.Max, observer.Min), range.Min);
    }

    [Fact]
    public void Entropy_of_a_uniform_distribution_is_near_its_max()
    {
        var random = new Random(13);
        var observer = Observed(Enumerable.Range(0, 200_000).Select(_ => (float)((2 * random.NextDouble()) - 1)).ToArray());

        var range = RangeEstimator.Estimate(observer, CalibrationMethod.Entropy);

        // Nothing to clip: every value is as likely as the largest, and a narrower range only adds clipping.
        Assert.InRange(range.Max, 0.97f, 1f);
        Assert.InRange(range.Min, -1f, -0.97f);
    }

    [Fact]
    public void Entropy_clips_one_far_outlier()
    {
        var random = new Random(17);
        var values = Enumerable.Range(0, 100_000).Select(_ => Gaussian(random)).ToArray();
        values[50_000] = 1000f;
        var observer = Observed(values);

        var range = RangeEstimator.Estimate(observer, CalibrationMethod.Entropy);

        // The 1000 stretches the histogram to bins about 1.7 wide, so the Gaussian is a few bins and the
        // smallest threshold tried (a grid step of one bin) already holds it; the outlier is clipped, the whole
        // negative side (about -4) is kept.
        Assert.Equal(1000f, observer.Max);
        Assert.InRange(range.Max, 4f, 500f);
        Assert.Equal(observer.Min, range.Min);
    }

    [Fact]
    public void Percentile_rejects_a_percentile_below_the_median()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RangeEstimator.Estimate(GaussianWithOutliers(), CalibrationMethod.Percentile, percentile: 40));
    }

    [Fact]
    public void Unobserved_tensor_has_no_range()
    {
        Assert.Throws<InvalidOperationException>(() => RangeEstimator.Estimate(new TensorObserver(), CalibrationMethod.MinMax));
    }
}
