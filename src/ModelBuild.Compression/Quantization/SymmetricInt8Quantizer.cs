namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Symmetric int8 quantization with one scale per channel: <c>q = round(w / scale)</c> clamped to [-127, 127],
/// <c>scale = max|w| / 127</c> over the channel, zero point 0. -128 is never used, so negation stays exact. Full-range
/// weights can still saturate the 16-bit pair sums of ONNX Runtime's u8 x s8 kernels on x64 without VNNI; a
/// <c>maxLevel</c> of 64 (<see cref="Targets.Int8Scheme.U8S7"/>) cannot.
/// </summary>
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

        // An all-zero channel gets scale 1: any scale dequantizes its zeros exactly, and 0 would divide by zero.
        var scales = maxAbs.Select(m => m > 0 ? m / maxLevel : 1f).ToArray();
        var quantized = new sbyte[values.Length];
        for (var i = 0; i < values.Length; i++)
            quantized[i] = Quantize(values[i], scales[(int)(i / inner % channels)], maxLevel);
        return new QuantizedWeights(quantized, scales);
    }

    /// <summary>
    /// One value on the int8 grid. Halves round to even, the rule of ONNX QuantizeLinear and of ONNX Runtime's
    /// run-time activation quantization, so weights and activations share one rounding rule.
    /// </summary>
    public static sbyte Quantize(float value, float scale, int maxLevel = MaxLevel)
    {
        var level = Math.Round((double)value / scale, MidpointRounding.ToEven);
        return (sbyte)Math.Clamp(level, -maxLevel, maxLevel);
    }
}
