namespace ModelBuild.Compression.Calibration;

/// <summary>Turns what a <see cref="TensorObserver"/> saw into the range to quantize over, by one <see cref="CalibrationMethod"/>.</summary>
public static class RangeEstimator
{
    /// <summary>TensorRT's and ONNX Runtime's choice for a signed grid: the candidate distribution is squeezed into 128 levels per side.</summary>
    public const int EntropyQuantizedBins = 128;

    public static TensorRange Estimate(TensorObserver observer, CalibrationMethod method, double percentile = 99.99)
    {
        if (!observer.HasValues)
            throw new InvalidOperationException("the tensor was never observed; calibration needs at least one input");
        return method switch
        {
            CalibrationMethod.MinMax => new TensorRange(observer.Min, observer.Max),
            CalibrationMethod.Percentile => Percentile(observer, percentile),
            CalibrationMethod.Entropy => Entropy(observer),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown calibration method"),
        };
    }

    /// <summary>
    /// The values at <c>(100 - p)</c>% and <c>p</c>%, never beyond the observed min and max (a bin edge can overshoot
    /// them). A one-sided tensor (Relu output) keeps its exact zero end.
    /// </summary>
    public static TensorRange Percentile(TensorObserver observer, double percentile)
    {
        if (percentile is <= 50 or > 100)
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "expected a percentile in (50, 100]");
        var histogram = observer.Histogram;
        if (histogram.HalfWidth == 0)
            return new TensorRange(observer.Min, observer.Max);
        var lower = histogram.Quantile((100 - percentile) / 100) - histogram.BinWidth;
        var upper = histogram.Quantile(percentile / 100);
        return new TensorRange((float)Math.Max(lower, observer.Min), (float)Math.Min(upper, observer.Max));
    }

    /// <summary>
    /// TensorRT's KL-divergence calibration on the |x| histogram (the zero-centred halves folded): for each threshold
    /// t (a whole number of bins), P is the histogram below t with the outliers added to its last bin, Q is the same
    /// slice squeezed into the grid's levels and spread back over its non-empty bins; the t with the smallest
    /// KL(P || Q) wins. The first bin is left out: it holds the exact zeros (half of a Relu output), which every
    /// grid represents exactly, and whose spike would otherwise pull t down. A one-sided tensor (min &gt;= 0) has
    /// all 255 steps of the uint8 grid on [0, t], a two-sided one 128 per side. The range is [-t, t] cut to what
    /// was observed, so a Relu output keeps 0 as its lower end.
    /// </summary>
    public static TensorRange Entropy(TensorObserver observer)
    {
        var histogram = observer.Histogram;
        if (histogram.HalfWidth == 0)
            return new TensorRange(observer.Min, observer.Max);
        var counts = histogram.Counts;
        var half = counts.Length / 2;
        var folded = new double[half];
        for (var j = 1; j < half; j++)
            folded[j] = counts[half + j] + counts[half - 1 - j];
        var levels = observer.Min >= 0 ? 255 : EntropyQuantizedBins;

        var bestBins = half;
        var bestDivergence = double.PositiveInfinity;
        // Candidates every few bins: the divergence curve is smooth at this resolution, and every bin of 1024 for
        // hundreds of tensors would dominate calibration time for big models.
        const int step = 4;
        for (var bins = Math.Min(levels, half); bins <= half; bins += step)
        {
            var divergence = KlDivergence(folded, bins, levels);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                bestBins = bins;
            }
        }
        var threshold = bestBins * histogram.BinWidth;
        return new TensorRange((float)Math.Max(-threshold, observer.Min), (float)Math.Min(threshold, observer.Max));
    }

    private static double KlDivergence(double[] folded, int bins, int levels)
    {
        var reference = new double[bins];
        Array.Copy(folded, reference, bins);
        for (var i = bins; i < folded.Length; i++) reference[bins - 1] += folded[i];

        // Squeeze the unclipped slice into the levels, then spread each level's total evenly over the bins of the
        // level that were non-empty.
        var candidate = new double[bins];
        for (var level = 0; level < levels; level++)
        {
            var from = level * bins / levels;
            var to = (level + 1) * bins / levels;
            double total = 0;
            var nonEmpty = 0;
            for (var i = from; i < to; i++)
            {
                total += folded[i];
                if (folded[i] > 0) nonEmpty++;
            }
            for (var i = from; i < to; i++)
                candidate[i] = folded[i] > 0 ? total / nonEmpty : 0;
        }

        double referenceSum = 0, candidateSum = 0;
        for (var i = 0; i < bins; i++)
        {
            referenceSum += reference[i];
            candidateSum += candidate[i];
        }
        if (candidateSum == 0 || referenceSum == 0)
            return double.PositiveInfinity;
        double divergence = 0;
        for (var i = 0; i < bins; i++)
        {
            if (reference[i] == 0)
                continue;
            var p = reference[i] / referenceSum;
            // A reference bin the candidate leaves empty (the outliers' bin) would make KL infinite; a tiny floor keeps it finite and large.
            var q = Math.Max(candidate[i] / candidateSum, 1e-12);
            divergence += p * Math.Log(p / q);
        }
        return divergence;
    }
}
