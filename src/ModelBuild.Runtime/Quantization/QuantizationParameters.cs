namespace ModelBuild.Runtime;

/// <summary>
/// The uint8 grid of a model input or output (recipe <c>int8-full</c>): a byte <c>q</c> stands for
/// <c>Scale * (q - ZeroPoint)</c>. Generated classes expose one per quantized input and output.
/// </summary>
/// <param name="Scale">The float step between two levels.</param>
/// <param name="ZeroPoint">The level that stands for 0.</param>
public readonly record struct QuantizationParameters(float Scale, byte ZeroPoint)
{
    /// <summary>
    /// ONNX <c>QuantizeLinear</c>'s rule, in float32 as ONNX Runtime computes it:
    /// <c>saturate(round_half_to_even(value / Scale) + ZeroPoint)</c>, so a quantized input matches the model's own grid.
    /// </summary>
    public byte Quantize(float value) => (byte)Math.Clamp(MathF.Round(value / Scale, MidpointRounding.ToEven) + ZeroPoint, 0f, 255f);

    public float Dequantize(byte level) => Scale * (level - ZeroPoint);

    /// <summary>Quantizes every value of <paramref name="values"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than the values.</exception>
    public void Quantize(ReadOnlySpan<float> values, Span<byte> destination)
    {
        if (destination.Length < values.Length)
            throw new ArgumentException($"expected room for {values.Length} levels, found {destination.Length}", nameof(destination));
        for (var i = 0; i < values.Length; i++)
            destination[i] = Quantize(values[i]);
    }

    public byte[] Quantize(ReadOnlySpan<float> values)
    {
        var levels = new byte[values.Length];
        Quantize(values, levels);
        return levels;
    }

    public float[] Dequantize(ReadOnlySpan<byte> levels)
    {
        var values = new float[levels.Length];
        for (var i = 0; i < levels.Length; i++)
            values[i] = Dequantize(levels[i]);
        return values;
    }
}
