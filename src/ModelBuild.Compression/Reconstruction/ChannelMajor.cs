namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// The shape of a value inside the block engine, laid out channel-major over the batch ([C, N, H, W]): a Conv over a
/// whole batch is then one matrix product, and a Gemm's [N, K] input is the same thing with H = W = 1.
/// </summary>
internal readonly record struct ChannelMajor(int Channels, int Batch, int Height, int Width)
{
    public int Plane => Height * Width;

    public int Size => Channels * Batch * Plane;

    /// <summary>The shape of one sample as ONNX Runtime gives it ([1, C, H, W] or [1, K]) with <paramref name="batch"/> samples; null for any other.</summary>
    public static ChannelMajor? Of(long[] sampleShape, int batch) => sampleShape switch
    {
        [1, var c, var h, var w] when c * h * w < int.MaxValue / Math.Max(1, batch) => new ChannelMajor((int)c, batch, (int)h, (int)w),
        [1, var k] when k < int.MaxValue / Math.Max(1, batch) => new ChannelMajor((int)k, batch, 1, 1),
        _ => null,
    };

    /// <summary>Samples (each [1, C, H, W] flat) gathered into a channel-major batch.</summary>
    public static float[] Gather(IReadOnlyList<float[]> samples, IReadOnlyList<int> picks, ChannelMajor shape)
    {
        var result = new float[shape.Size];
        var plane = shape.Plane;
        for (var n = 0; n < picks.Count; n++)
        {
            var sample = samples[picks[n]];
            for (var c = 0; c < shape.Channels; c++)
                Array.Copy(sample, c * plane, result, ((c * shape.Batch) + n) * plane, plane);
        }
        return result;
    }
}
