using ModelBuild.Compression.Quantization;

namespace ModelBuild.Compression.Tests.Quantization;

public sealed class SymmetricInt8QuantizerTests
{
    [Theory]
    // Halves round to even, ONNX QuantizeLinear's rule (round half away from zero would give 3, 4, -3, 1).
    [InlineData(2.5f, 2)]
    [InlineData(3.5f, 4)]
    [InlineData(-2.5f, -2)]
    [InlineData(0.5f, 0)]
    [InlineData(1.5f, 2)]
    [InlineData(2.4f, 2)]
    [InlineData(2.6f, 3)]
    // Outside the grid clamps to +-127, never -128.
    [InlineData(500f, 127)]
    [InlineData(-500f, -127)]
    public void Quantize_rounds_half_to_even_and_clamps_to_127(float value, int expected)
    {
        Assert.Equal(expected, SymmetricInt8Quantizer.Quantize(value, scale: 1f));
    }

    [Fact]
    public void Quantize_divides_in_float32_as_onnx_runtime_does()
    {
        // -1.7786125 / 0.016243037 is -109.4999976 exactly but -109.5 in float32, which ONNX Runtime's QuantizeLinear
        // rounds to even, -110. Dividing in double (int8-dynamic's old rule) gave -109.
        const float scale = 0.016243036836385727f, value = -1.778612494468689f;
        Assert.Equal(-109.5f, value / scale);

        Assert.Equal(-110, SymmetricInt8Quantizer.Quantize(value, scale));
    }

    [Fact]
    public void Output_channel_scales_are_the_channel_maximum_over_127()
    {
        var random = new Random(7);
        long[] dims = [3, 2, 2, 2];
        var values = Enumerable.Range(0, 24).Select(_ => (random.NextSingle() * 2 - 1) * (1 + random.Next(5))).ToArray();

        var quantized = SymmetricInt8Quantizer.QuantizePerChannel(values, dims, axis: 0);

        for (var channel = 0; channel < 3; channel++)
        {
            var slice = values.Skip(channel * 8).Take(8).ToArray();
            var expectedScale = slice.Max(Math.Abs) / 127f;
            Assert.Equal(expectedScale, quantized.Scales[channel], 6);
            for (var i = 0; i < 8; i++)
            {
                var dequantized = quantized.Values[channel * 8 + i] * quantized.Scales[channel];
                Assert.True(Math.Abs(dequantized - slice[i]) <= expectedScale / 2 + 1e-6,
                    $"channel {channel} value {i}: {slice[i]} came back as {dequantized}, more than half a step ({expectedScale / 2}) away");
            }
            Assert.Contains(quantized.Values.Skip(channel * 8).Take(8), q => Math.Abs((int)q) == 127);
        }
    }

    [Fact]
    public void Column_scales_of_a_matrix_follow_the_column()
    {
        // [K=2, N=3]: scales 1 and 2 are exact in float, so 2.5 and 127/2 land exactly on halves; column 2 is all
        // zeros and gets scale 1.
        float[] values = [127f, -254f, 0f, 2.5f, 127f, 0f];

        var quantized = SymmetricInt8Quantizer.QuantizePerChannel(values, [2, 3], axis: 1);

        Assert.Equal([1f, 2f, 1f], quantized.Scales);
        Assert.Equal(new sbyte[] { 127, -127, 0, 2, 64, 0 }, quantized.Values);
    }
}
