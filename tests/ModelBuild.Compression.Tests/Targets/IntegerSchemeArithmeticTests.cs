using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Targets;

/// <summary>
/// On any machine, with a reference of the AVX2 u8 x s8 arithmetic: the weights the portable scheme stores give
/// the exact integer results there, and full-range int8 weights (what int8 stored before targets) do not.
/// </summary>
public sealed class IntegerSchemeArithmeticTests
{
    private static readonly Random Random = new(7);

    /// <summary>A layer's weights as a trained network has them: most small, a few large per output channel.</summary>
    private static float[] TrainedLikeWeights(int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(Random.NextDouble() < 0.05 ? Random.NextDouble() * 2 - 1 : (Random.NextDouble() - 0.5) * 0.4)).ToArray();

    private static sbyte[][] RowsOf(TensorProto quantized, int rows)
    {
        var bytes = TensorData.ReadRawBytes(quantized);
        var offset = quantized.DataType == (int)DataType.Uint8 ? 128 : 0;
        var columns = bytes.Length / rows;
        return Enumerable.Range(0, rows).Select(r => bytes.Skip(r * columns).Take(columns).Select(b => (sbyte)(b - offset)).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(WeightFormat.Int8ReducedRange)]
    [InlineData(WeightFormat.UInt8)]
    public void Portable_and_uint8_weights_give_the_exact_results_on_avx2_for_any_activations(WeightFormat format)
    {
        // 32 output channels of a 3x3 conv over 64 input channels.
        var weight = TensorData.FromFloats("w", [32, 64, 3, 3], TrainedLikeWeights(32 * 64 * 9));
        var quantized = PerChannelWeights.Quantize(weight, axis: 0, format, "w_q", "w_zp");

        foreach (var row in RowsOf(quantized.Values, 32))
        {
            if (format == WeightFormat.UInt8)
                continue; // u8 x u8 kernels widen to 16 bits before multiplying: no pair sum can saturate (checked below).
            foreach (var activations in new[] { Avx2U8S8Arithmetic.Worst(row), Enumerable.Repeat((byte)255, row.Length).ToArray(), RandomBytes(row.Length) })
                Assert.Equal(Avx2U8S8Arithmetic.Exact(activations, row), Avx2U8S8Arithmetic.Avx2(activations, row));
            Assert.All(row, w => Assert.InRange((int)w, -64, 64));
        }
        if (format == WeightFormat.UInt8)
            Assert.All(TensorData.ReadRawBytes(quantized.ZeroPoints), zeroPoint => Assert.Equal(128, zeroPoint));
    }

    [Fact]
    public void Per_layer_keeps_8_bits_where_7_would_be_noisy_and_full_int8_for_depthwise()
    {
        var smooth = TensorData.FromFloats("smooth", [8, 72], Enumerable.Range(0, 8 * 72).Select(i => MathF.Sin(i * 0.7f)).ToArray());
        // One outlier per channel stretches the grid: the rest sit on a few levels, and 7 bits halve those.
        var outliers = TensorData.FromFloats("outliers", [8, 72], Enumerable.Range(0, 8 * 72).Select(i => i % 72 == 0 ? 20f : MathF.Sin(i * 0.7f) * 0.3f).ToArray());

        Assert.Equal(WeightFormat.Int8ReducedRange, PerChannelWeights.Resolve(WeightFormat.PerLayer, smooth, axis: 0, depthwise: false));
        Assert.Equal(WeightFormat.UInt8, PerChannelWeights.Resolve(WeightFormat.PerLayer, outliers, axis: 0, depthwise: false));
        Assert.Equal(WeightFormat.Int8, PerChannelWeights.Resolve(WeightFormat.PerLayer, outliers, axis: 0, depthwise: true));
        Assert.Equal(WeightFormat.Int8, PerChannelWeights.Resolve(WeightFormat.Int8ReducedRange, smooth, axis: 0, depthwise: true));
        Assert.Equal(WeightFormat.Int8, PerChannelWeights.Resolve(WeightFormat.Int8, outliers, axis: 0, depthwise: false));
    }

    [Fact]
    public void Full_range_int8_weights_saturate_the_avx2_arithmetic()
    {
        var weight = TensorData.FromFloats("w", [32, 64, 3, 3], TrainedLikeWeights(32 * 64 * 9));
        var quantized = PerChannelWeights.Quantize(weight, axis: 0, WeightFormat.Int8, "w_q", "w_zp");

        var rows = RowsOf(quantized.Values, 32);
        var wrong = rows.Count(row =>
        {
            var activations = Avx2U8S8Arithmetic.Worst(row);
            return Avx2U8S8Arithmetic.Exact(activations, row) != Avx2U8S8Arithmetic.Avx2(activations, row);
        });
        Assert.True(wrong > 0, "full-range weights were expected to saturate some channel's pair sums");
    }

    [Fact]
    public void The_scheme_of_every_target_is_exact_on_that_target()
    {
        var weight = TensorData.FromFloats("w", [16, 144], TrainedLikeWeights(16 * 144));
        foreach (var target in Enum.GetValues<TargetCpu>())
        {
            var scheme = TargetCpus.SchemeFor(target);
            var format = PerChannelWeights.Resolve(TargetCpus.WeightFormatOf(scheme), weight, axis: 0, depthwise: false);
            var quantized = PerChannelWeights.Quantize(weight, axis: 0, format, "w_q", "w_zp");
            // uint8 weights run the u8 x u8 kernels, which widen to 16 bits first: nothing to saturate.
            if (format == WeightFormat.UInt8)
                continue;
            foreach (var row in RowsOf(quantized.Values, 16))
            {
                var activations = Avx2U8S8Arithmetic.Worst(row);
                var exactOnAvx2 = Avx2U8S8Arithmetic.Exact(activations, row) == Avx2U8S8Arithmetic.Avx2(activations, row);
                // Only targets whose CPUs sum exactly (VNNI, ARM64) may store weights that the AVX2 arithmetic would saturate.
                if (!exactOnAvx2)
                    Assert.True(target is TargetCpu.X64Vnni or TargetCpu.Arm64, $"target {TargetCpus.Name(target)} stores weights that saturate on AVX2");
            }
        }
    }

    [Fact]
    public void Dynamic_quantization_stores_portable_weights_by_default()
    {
        var model = TestModels.MatMulModel();
        var compressed = ModelCompressor.Compress(model, Recipe.Int8Dynamic);

        Assert.Equal(Int8Scheme.PerLayer, compressed.Scheme);
        // 7-bit int8 or uint8: whichever each weight gets, no pair sum can saturate.
        var weights = compressed.Model.Graph.Initializer.Where(t => t.DataType is (int)DataType.Int8 or (int)DataType.Uint8 && t.Dims.Count == 2).ToList();
        Assert.NotEmpty(weights);
        Assert.All(weights.Where(w => w.DataType == (int)DataType.Int8), w => Assert.All(TensorData.ReadRawBytes(w), b => Assert.InRange((int)(sbyte)b, -64, 64)));
    }

    [Fact]
    public void Dynamic_quantization_for_a_vnni_target_stores_full_range_weights()
    {
        var compressed = ModelCompressor.Compress(TestModels.MatMulModel(), Recipe.Int8Dynamic, new CompressionSettings { Target = TargetCpu.X64Vnni });

        Assert.Equal(Int8Scheme.U8S8, compressed.Scheme);
        var values = compressed.Model.Graph.Initializer.Where(t => t.DataType == (int)DataType.Int8).SelectMany(TensorData.ReadRawBytes).Select(b => Math.Abs((int)(sbyte)b));
        Assert.Equal(127, values.Max());
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.NextBytes(bytes);
        return bytes;
    }
}
