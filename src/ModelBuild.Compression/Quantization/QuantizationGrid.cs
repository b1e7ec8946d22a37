using ModelBuild.Compression.Calibration;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// An affine grid <c>x ~ Scale * (q - ZeroPoint)</c> with q in [QMin, QMax]. <see cref="Scale"/> is kept in double so
/// the arithmetic of the paper (Jacob et al. 2018) can be checked exactly; ONNX stores it as float32.
/// </summary>
internal readonly record struct QuantizationGrid(double Scale, int ZeroPoint, int QMin, int QMax)
{
    public float StoredScale => (float)Scale;

    public static (int QMin, int QMax) Grid(ActivationType type) => type == ActivationType.UInt8 ? (0, 255) : (-128, 127);

    /// <summary>
    /// Asymmetric parameters for <paramref name="range"/>, widened to contain 0 so zero (padding, Relu's floor) is
    /// exact. A range that is only 0 (an all-zero tensor) gets scale 1: any scale represents it, and 0 would divide by zero.
    /// </summary>
    public static QuantizationGrid Asymmetric(TensorRange range, int qMin, int qMax)
    {
        double rMin = Math.Min(range.Min, 0f), rMax = Math.Max(range.Max, 0f);
        if (rMax == rMin)
            return new QuantizationGrid(1, Math.Clamp(0, qMin, qMax), qMin, qMax);
        var scale = (rMax - rMin) / (qMax - qMin);
        // Computed from the range rather than rMin / scale, so [-1.5, 1.5] to uint8 gives exactly 127.5 -> 128.
        var zeroPoint = Math.Round(qMin - (rMin * (qMax - qMin) / (rMax - rMin)), MidpointRounding.ToEven);
        return new QuantizationGrid(scale, (int)Math.Clamp(zeroPoint, qMin, qMax), qMin, qMax);
    }

    /// <summary>Symmetric parameters (zero point 0) over [-maxAbs, maxAbs] on [-maxLevel, maxLevel]; all-zero gets scale 1.</summary>
    public static QuantizationGrid Symmetric(float maxAbs, int maxLevel) =>
        new(maxAbs > 0 ? (double)maxAbs / maxLevel : 1, 0, -maxLevel, maxLevel);

    /// <summary>
    /// ONNX QuantizeLinear, as ONNX Runtime computes it: <c>saturate(round_half_to_even(x / scale) + zero_point)</c>
    /// in float32. Activations are quantized by this rule at run time, and weights use it too so both agree.
    /// </summary>
    public int QuantizeOnnx(float value)
    {
        var level = MathF.Round(value / StoredScale, MidpointRounding.ToEven) + ZeroPoint;
        return (int)Math.Clamp(level, QMin, QMax);
    }

    /// <summary>The paper's rule in exact arithmetic: <c>round_half_away_from_zero(x / S + Z)</c>. Kept for comparison only.</summary>
    public int QuantizePaper(double value)
    {
        var level = Math.Round((value / Scale) + ZeroPoint, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(level, QMin, QMax);
    }

    public float Dequantize(int level) => StoredScale * (level - ZeroPoint);
}
