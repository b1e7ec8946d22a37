using ModelBuild.Compression.Calibration;

namespace ModelBuild.Compression.Tests.Calibration;

public sealed class StreamingHistogramTests
{
    [Fact]
    public void Growing_range_merges_bins_without_moving_any_value_across_zero_or_losing_it()
    {
        var histogram = new StreamingHistogram(binCount: 16);
        histogram.Add([0.5f, -0.5f, 0.1f]);
        var firstHalfWidth = histogram.HalfWidth;

        histogram.Add([100f, -3f]);

        Assert.True(histogram.HalfWidth > 100, $"half width {histogram.HalfWidth} should cover 100");
        Assert.Equal(firstHalfWidth * Math.Pow(2, Math.Round(Math.Log2(histogram.HalfWidth / firstHalfWidth))), histogram.HalfWidth, 6);
        Assert.Equal(5, histogram.TotalCount);
        var counts = histogram.Counts.ToArray();
        Assert.Equal(2, counts.Take(8).Sum()); // -0.5 and -3 stay below zero
        Assert.Equal(3, counts.Skip(8).Sum());
    }

    [Fact]
    public void Memory_is_fixed_whatever_the_number_of_values()
    {
        var histogram = new StreamingHistogram(binCount: 64);
        var random = new Random(1);
        for (var round = 0; round < 1000; round++)
            histogram.Add(Enumerable.Range(0, 100).Select(_ => (float)(random.NextDouble() * round)).ToArray());

        Assert.Equal(64, histogram.Counts.Length);
        Assert.Equal(100_000, histogram.TotalCount);
    }

    [Fact]
    public void Zeros_before_any_range_are_counted_once_the_range_is_known()
    {
        var histogram = new StreamingHistogram(binCount: 8);
        histogram.Add([0f, 0f, 0f]);
        Assert.Equal(0, histogram.HalfWidth);

        histogram.Add([1f]);

        Assert.Equal(4, histogram.TotalCount);
        Assert.Equal(3, histogram.Counts[4]);
    }

    [Fact]
    public void Quantile_of_uniform_values_is_close_to_the_fraction()
    {
        var histogram = new StreamingHistogram();
        histogram.Add(Enumerable.Range(0, 10_000).Select(i => i / 10_000f).ToArray());

        Assert.InRange(histogram.Quantile(0.9), 0.89, 0.91);
    }

    [Fact]
    public void Non_finite_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new StreamingHistogram().Add([1f, float.NaN]));
    }
}
