using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Quantization;

/// <summary>Scale and zero point, and the two rounding rules, against the paper's worked example and ONNX Runtime itself.</summary>
public sealed class QuantizationGridTests
{
    private static readonly QuantizationGrid PaperExample = QuantizationGrid.Asymmetric(new TensorRange(-1.5f, 1.5f), 0, 255);

    [Fact]
    public void Paper_example_range_to_uint8_has_scale_3_over_255_and_zero_point_128()
    {
        Assert.Equal(3.0 / 255, PaperExample.Scale, 12);
        Assert.Equal(0.01176, PaperExample.Scale, 5);
        Assert.Equal(128, PaperExample.ZeroPoint);
    }

    [Fact]
    public void Half_way_value_rounds_away_from_zero_under_the_paper_rule_and_to_even_under_onnx()
    {
        Assert.Equal(171, PaperExample.QuantizePaper(0.5));
        Assert.Equal(170, PaperExample.QuantizeOnnx(0.5f));
    }

    [Fact]
    public void Onnx_runtime_quantize_linear_agrees_with_the_onnx_rule()
    {
        var model = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, 3)
            .Output("q", DataType.Uint8, 3)
            .Initializer(TensorData.FromFloats("scale", [], [PaperExample.StoredScale]))
            .Initializer(TensorData.FromUInt8("zero_point", [], [(byte)PaperExample.ZeroPoint]))
            .Node("QuantizeLinear", ["x", "scale", "zero_point"], ["q"])
            .Build();
        float[] values = [0.5f, -1.5f, 1.5f];

        using var session = new InferenceSession(model.ToByteArray(), OrtRunner.NewOptions());
        using var input = OrtValue.CreateTensorValueFromMemory(values, [3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["q"]);
        var levels = outputs[0].GetTensorDataAsSpan<byte>().ToArray();

        Assert.Equal(values.Select(v => PaperExample.QuantizeOnnx(v)).ToArray(), levels.Select(l => (int)l).ToArray());
        Assert.Equal(170, levels[0]);
    }

    [Fact]
    public void All_zero_tensor_gets_scale_one_and_dequantizes_to_zero()
    {
        var grid = QuantizationGrid.Asymmetric(new TensorRange(0, 0), 0, 255);

        Assert.Equal(1, grid.Scale);
        Assert.Equal(0, grid.ZeroPoint);
        Assert.Equal(0f, grid.Dequantize(grid.QuantizeOnnx(0f)));
    }

    [Theory]
    [InlineData(5f, 0, 255)]
    [InlineData(-2f, 255, 0)]
    public void All_equal_tensor_widens_to_zero_and_keeps_its_value_at_the_grid_end(float value, int expectedZeroPoint, int expectedLevel)
    {
        var grid = QuantizationGrid.Asymmetric(new TensorRange(value, value), 0, 255);

        Assert.Equal(expectedZeroPoint, grid.ZeroPoint);
        Assert.Equal(expectedLevel, grid.QuantizeOnnx(value));
        Assert.Equal(value, grid.Dequantize(grid.QuantizeOnnx(value)), 5);
        Assert.Equal(0f, grid.Dequantize(grid.QuantizeOnnx(0f)));
    }

    [Fact]
    public void Int8_activation_grid_places_zero_exactly()
    {
        var grid = QuantizationGrid.Asymmetric(new TensorRange(-1, 3), -128, 127);

        Assert.Equal(4.0 / 255, grid.Scale, 12);
        Assert.Equal(-64, grid.ZeroPoint); // -128 + 1 * 255 / 4 = -64.25
        Assert.Equal(0f, grid.Dequantize(grid.QuantizeOnnx(0f)));
    }

    [Fact]
    public void Symmetric_grid_maps_the_largest_magnitude_to_the_last_level()
    {
        var grid = QuantizationGrid.Symmetric(2.54f, 127);

        Assert.Equal(0, grid.ZeroPoint);
        Assert.Equal(127, grid.QuantizeOnnx(2.54f));
        Assert.Equal(-127, grid.QuantizeOnnx(-2.54f));
        Assert.Equal(-127, grid.QuantizeOnnx(-10f));
        Assert.Equal(1, QuantizationGrid.Symmetric(0f, 127).Scale);
    }

    [Theory]
    [InlineData(WeightFormat.Int8, 127, 0)]
    [InlineData(WeightFormat.Int8ReducedRange, 64, 0)]
    [InlineData(WeightFormat.UInt8, 127, 128)]
    public void Weights_use_one_symmetric_grid_per_channel(WeightFormat format, int maxLevel, int zeroPoint)
    {
        // Two output channels: [-2, 1] and an all-zero one.
        var weight = TensorData.FromFloats("w", [2, 1, 1, 2], [-2f, 1f, 0f, 0f]);

        var quantized = PerChannelWeights.Quantize(weight, 0, format, "w_q", "w_zp");

        Assert.Equal(2f / maxLevel, quantized.Scales[0], 6);
        Assert.Equal(1f, quantized.Scales[1]);
        var raw = quantized.Values.RawData.ToByteArray();
        var levels = format == WeightFormat.UInt8 ? raw.Select(b => b - 128).ToArray() : raw.Select(b => (int)(sbyte)b).ToArray();
        Assert.Equal([-maxLevel, (int)Math.Round(maxLevel / 2.0, MidpointRounding.ToEven), 0, 0], levels);
        Assert.All(quantized.ZeroPoints.RawData.ToByteArray(), b => Assert.Equal(zeroPoint, format == WeightFormat.UInt8 ? b : (sbyte)b));
    }
}
