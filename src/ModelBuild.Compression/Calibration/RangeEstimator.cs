namespace ModelBuild.Compression.Calibration;

/// <summary>Turns what a <see cref="TensorObserver"/> saw into the range to quantize over, by one <see cref="CalibrationMethod"/>.</summary>
public static class RangeEstimator
{
    /// <summary>Steps of the 8-bit activation grid, int8 or uint8 alike.</summary>
    private const double GridSteps = 255;

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
    /// t (a whole number of bins, every one up to the largest |x|), P is the histogram below t with the outliers added
    /// to its last bin, Q is the same slice squeezed into the cells of the grid the range [-t, t] cut to what was
    /// observed really gets (255 steps; a value rounds to the nearest level, 0 is a level) and spread evenly back over
    /// each cell's non-empty bins; the t with the smallest KL(P || Q) wins, the smaller one on a tie (the same loss
    /// on a finer grid: this happens where the histogram is too coarse to see the bulk's rounding). So a nearly
    /// one-sided tensor (hard-swish, min -0.375) is judged on its ~255 levels above zero, not 128. Thresholds whose
    /// step is narrower than a bin are not tried (the histogram cannot see their rounding), except the largest |x|.
    /// The zero bin takes its neighbour's count, as TensorRT does: exact zeros (half of a Relu output) are exact on
    /// every grid, and their spike would otherwise pull t down. The range is [-t, t] cut to what was observed, so a
    /// Relu output keeps 0 as its lower end.
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
        folded[0] = folded[1];
        var binWidth = histogram.BinWidth;
        double below = Math.Max(0, -observer.Min) / binWidth, above = Math.Max(0, observer.Max) / binWidth;
        var largest = Math.Min(half, (int)Math.Ceiling(Math.Max(below, above)));

        var bestBins = largest;
        var bestDivergence = double.PositiveInfinity;
        // beyond[b]: the count at or above bin b, the outliers a threshold of b bins adds to P's last bin.
        var beyond = new double[half + 1];
        for (var i = half - 1; i >= 0; i--)
            beyond[i] = beyond[i + 1] + folded[i];
        var reference = new double[half];
        var candidate = new double[half];
        for (var bins = 1; bins <= largest; bins++)
        {
            var step = (Math.Min(bins, below) + Math.Min(bins, above)) / GridSteps;
            if (step < 1 && bins < largest)
                continue;
            var divergence = KlDivergence(folded, beyond[bins], bins, step, reference, candidate);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                bestBins = bins;
            }
        }
        var threshold = bestBins * binWidth;
        return new TensorRange((float)Math.Max(-threshold, observer.Min), (float)Math.Min(threshold, observer.Max));
    }

    /// <summary>KL(P || Q) for the threshold <paramref name="bins"/> (<paramref name="outliers"/> counted beyond it), grid step <paramref name="step"/> bins; the arrays are scratch space.</summary>
    private static double KlDivergence(double[] folded, double outliers, int bins, double step, double[] reference, double[] candidate)
    {
        Array.Copy(folded, reference, bins);
        reference[bins - 1] += outliers;

        // Bin i (centre i + 0.5) rounds to level round((i + 0.5) / step); a cell's bins are consecutive. Each cell's
        // unclipped total is spread evenly over its non-empty bins, so empty bins stay empty in Q as in P.
        for (var from = 0; from < bins;)
        {
            var level = Math.Round((from + 0.5) / step, MidpointRounding.ToEven);
            var to = from;
            double total = 0;
            var nonEmpty = 0;
            for (; to < bins && Math.Round((to + 0.5) / step, MidpointRounding.ToEven) == level; to++)
            {
                total += folded[to];
                if (folded[to] > 0) nonEmpty++;
            }
            for (var i = from; i < to; i++)
                candidate[i] = folded[i] > 0 ? total / nonEmpty : 0;
            from = to;
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
            // Only the last bin can be empty in Q and not in P (outliers beyond an empty bin). TensorRT calls that
            // infinitely bad; but where the histogram is too coarse for any threshold inside the bulk, every
            // threshold but the largest is such a one. A floor (ONNX Runtime smooths Q) keeps it finite and large.
            var q = Math.Max(candidate[i] / candidateSum, 1e-12);
            divergence += p * Math.Log(p / q);
        }
        return divergence;
    }
}
