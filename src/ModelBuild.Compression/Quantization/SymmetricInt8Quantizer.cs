namespace ModelBuild.Compression.Quantization;

/// <summary>
/// The one per-channel weight quantizer (int8-dynamic's passes and static int8's <see cref="PerChannelWeights"/>):
/// symmetric, <c>scale = max|w| / maxLevel</c> over the channel, zero point 0, levels clamped to
/// [-maxLevel, maxLevel]. -128 is never used, so negation stays exact. Full-range weights can still saturate the
/// 16-bit pair sums of ONNX Runtime's u8 x s8 kernels on x64 without VNNI; a <c>maxLevel</c> of 64
/// (<see cref="Targets.Int8Scheme.U8S7"/>) cannot.
/// </summary>
/// <remarks>
/// One rounding rule, ONNX QuantizeLinear's as ONNX Runtime computes it: <c>round_half_to_even(w / scale)</c> in
/// float32 (<see cref="QuantizationGrid.QuantizeOnnx"/>). It is the rule static int8 always used, so the results users
/// measure are unchanged, and the rule ONNX Runtime applies to activations at run time, so weights and activations
/// agree. (int8-dynamic used to divide in double; the two differ only where a float32 quotient lands on a half.)
/// </remarks>
public static class SymmetricInt8Quantizer
{
    public const int MaxLevel = 127;

    /// <summary>
    /// Quantizes <paramref name="values"/> (row-major, shape <paramref name="dims"/>) with one scale per index of
    /// axis <paramref name="axis"/>: axis 0 of a Conv weight is the output channel, axis 1 of a MatMul weight the column.
    /// </summary>
    public static QuantizedWeights QuantizePerChannel(ReadOnlySpan<float> values, IReadOnlyList<long> dims, int axis, int maxLevel = MaxLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLevel, MaxLevel);
        var channels = checked((int)dims[axis]);
        long inner = 1;
        for (var d = axis + 1; d < dims.Count; d++) inner *= dims[d];

        var maxAbs = new float[channels];
        for (var i = 0; i < values.Length; i++)
        {
            var channel = (int)(i / inner % channels);
            maxAbs[channel] = Math.Max(maxAbs[channel], Math.Abs(values[i]));
        }

        // An all-zero channel gets scale 1 (QuantizationGrid.Symmetric): any scale dequantizes its zeros exactly.
        return Quantize(values, inner, maxAbs.Select(m => QuantizationGrid.Symmetric(m, maxLevel)).ToArray());
    }

    /// <summary>
    /// Quantizes by the same rule on scales chosen beforehand (one per index of axis <paramref name="axis"/>), levels
    /// clamped to [-maxLevel, maxLevel]: a low-bit step's grid (<see cref="LowBitGrid"/>).
    /// </summary>
    public static QuantizedWeights QuantizeOnScales(ReadOnlySpan<float> values, IReadOnlyList<long> dims, int axis, IReadOnlyList<float> scales, int maxLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLevel, MaxLevel);
        if (scales.Count != dims[axis])
            throw new ArgumentException($"expected {dims[axis]} scales, one per index of axis {axis}, found {scales.Count}", nameof(scales));
        long inner = 1;
        for (var d = axis + 1; d < dims.Count; d++) inner *= dims[d];
        return Quantize(values, inner, scales.Select(s => new QuantizationGrid(s, 0, -maxLevel, maxLevel)).ToArray());
    }

    private static QuantizedWeights Quantize(ReadOnlySpan<float> values, long inner, QuantizationGrid[] grids)
    {
        var channels = grids.Length;
        var quantized = new sbyte[values.Length];
        for (var i = 0; i < values.Length; i++)
            quantized[i] = (sbyte)grids[(int)(i / inner % channels)].QuantizeOnnx(values[i]);
        return new QuantizedWeights(quantized, grids.Select(g => g.StoredScale).ToArray());
    }

    /// <summary>One value on the symmetric int8 grid of <paramref name="scale"/>, by the rule above (halves to even, float32).</summary>
    public static sbyte Quantize(float value, float scale, int maxLevel = MaxLevel) =>
        (sbyte)new QuantizationGrid(scale, 0, -maxLevel, maxLevel).QuantizeOnnx(value);
}
