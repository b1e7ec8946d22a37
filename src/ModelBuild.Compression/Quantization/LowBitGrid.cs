namespace ModelBuild.Compression.Quantization;

/// <summary>
/// The grid a low-bit step (<c>int4</c>, <c>int3</c>) put a weight on: one scale per output channel, levels in
/// [-MaxLevel, MaxLevel]. Static int8 stores the weight on exactly this grid (the same integers in an int8 tensor), so
/// the model runs ONNX Runtime's int8 kernels and the container's entropy coder sees only 2 * MaxLevel + 1 values.
/// </summary>
public sealed record LowBitGrid(float[] Scales, int MaxLevel)
{
    /// <summary>The levels of <paramref name="bits"/>-bit symmetric weights: 7 for 4 bits, 3 for 3 bits.</summary>
    public static int MaxLevelOf(int bits) => (1 << (bits - 1)) - 1;

    /// <summary>
    /// <paramref name="value"/> on the grid of <paramref name="scale"/>: <c>scale * clamp(round_half_even(value / scale))</c>,
    /// the product as float32 stores it, so static int8's QuantizeLinear rule gives back exactly that level.
    /// </summary>
    public static double Round(double value, float scale, int maxLevel) => (float)(scale * (double)Level(value, scale, maxLevel));

    public static int Level(double value, float scale, int maxLevel) =>
        (int)Math.Clamp(Math.Round(value / scale, MidpointRounding.ToEven), -maxLevel, maxLevel);
}
