using System.Numerics.Tensors;

namespace ModelBuild.Compression.Calibration;

/// <summary>
/// A histogram of fixed size over [-HalfWidth, HalfWidth), centred on zero. When a value falls outside, the range
/// doubles and neighbouring bins merge in pairs, which is exact (no value changes bin side), so memory stays
/// constant however many values arrive and each value costs O(1) plus at most log2(growth) merges overall.
/// Zero-centred bins also give the |x| histogram (fold the halves) that symmetric thresholds need.
/// </summary>
public sealed class StreamingHistogram
{
    private readonly long[] counts;
    private long zerosBeforeRange;

    public StreamingHistogram(int binCount = 2048)
    {
        if (binCount < 4 || binCount % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(binCount), binCount, "expected a multiple of 4, at least 4, so halves merge in pairs");
        counts = new long[binCount];
    }

    public int BinCount => counts.Length;

    /// <summary>Half the covered range; 0 until a non-zero value arrives.</summary>
    public double HalfWidth { get; private set; }

    public long TotalCount => counts.Sum() + zerosBeforeRange;

    public ReadOnlySpan<long> Counts => counts;

    public double BinWidth => 2 * HalfWidth / counts.Length;

    public void Add(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            return;
        var maxAbs = Math.Abs(TensorPrimitives.MaxMagnitude(values));
        if (float.IsNaN(maxAbs) || float.IsInfinity(maxAbs))
            throw new ArgumentException("calibration values must be finite; found NaN or infinity", nameof(values));
        if (maxAbs == 0)
        {
            if (HalfWidth == 0) zerosBeforeRange += values.Length;
            else counts[counts.Length / 2] += values.Length;
            return;
        }
        if (HalfWidth == 0)
        {
            // A little headroom so values equal to the first maximum fall inside [-w, w).
            HalfWidth = maxAbs * 1.0001;
            counts[counts.Length / 2] += zerosBeforeRange;
            zerosBeforeRange = 0;
        }
        while (maxAbs >= HalfWidth)
            Double();

        var scale = counts.Length / (2 * HalfWidth);
        var half = counts.Length / 2;
        var last = counts.Length - 1;
        foreach (var value in values)
        {
            // value >= -HalfWidth, so the shifted position is non-negative and truncation is floor.
            var bin = (int)((value * scale) + half);
            counts[bin > last ? last : bin]++;
        }
    }

    /// <summary>Bin i covers [LowerEdge(i), LowerEdge(i + 1)).</summary>
    public double LowerEdge(int bin) => -HalfWidth + (bin * BinWidth);

    /// <summary>The value below which <paramref name="fraction"/> of the counted values lie (upper edge of the bin where the cumulative count crosses).</summary>
    public double Quantile(double fraction)
    {
        var target = fraction * TotalCount;
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            if (cumulative >= target)
                return LowerEdge(i + 1);
        }
        return HalfWidth;
    }

    private void Double()
    {
        // Old bin i covers [-w + i*b, ...) = new bin (n/2 + i) / 2 of width 2b over [-2w, 2w).
        var n = counts.Length;
        var merged = new long[n];
        for (var i = 0; i < n; i++)
            merged[(n / 2 + i) / 2] += counts[i];
        merged.CopyTo(counts, 0);
        HalfWidth *= 2;
    }
}
