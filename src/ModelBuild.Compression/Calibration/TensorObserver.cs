using System.Numerics.Tensors;

namespace ModelBuild.Compression.Calibration;

/// <summary>Everything calibration keeps about one tensor: the running min and max and a fixed-size histogram.</summary>
public sealed class TensorObserver(int binCount = 2048)
{
    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public StreamingHistogram Histogram { get; } = new(binCount);

    public bool HasValues => Min <= Max;

    public void Observe(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            return;
        Histogram.Add(values);
        Min = Math.Min(Min, TensorPrimitives.Min(values));
        Max = Math.Max(Max, TensorPrimitives.Max(values));
    }
}
