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
        var values = new float[100_000];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        values[10] = 50f; values[20] = -50f; values[30] = 48f; values[40] = 49f; values[50] = -47f;
        var observer = new TensorObserver();
        // In chunks, as calibration sees tensors one input at a time.
        for (var start = 0; start < values.Length; start += 1000)
            observer.Observe(values.AsSpan(start, 1000));
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
        var observer = new TensorObserver();
        // Relu-like: half zeros, half |Gaussian|.
        var values = Enumerable.Range(0, 50_000).Select(i => i % 2 == 0 ? 0f : (float)Math.Abs(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
        observer.Observe(values);

        var range = RangeEstimator.Estimate(observer, CalibrationMethod.Entropy);

        Assert.Equal(0f, range.Min);
        Assert.InRange(range.Max, 2f, observer.Max);
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
