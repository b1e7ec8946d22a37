using Google.Protobuf;
using ModelBuild.Onnx;
using ModelBuild.Runtime;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Generators.Tests.Runtime;

/// <summary>The grid generated classes expose: the app's quantization must match ONNX Runtime's QuantizeLinear bit for bit.</summary>
public sealed class QuantizationParametersTests
{
    [Theory]
    [InlineData(0.25f, 10)]   // 0.5 level: half to even rounds down to 0
    [InlineData(0.75f, 12)]   // 1.5 levels: half to even rounds up to 2
    [InlineData(-100f, 0)]    // saturates at 0
    [InlineData(1000f, 255)]  // saturates at 255
    public void Quantize_rounds_half_to_even_and_saturates(float value, byte expected)
    {
        Assert.Equal(expected, new QuantizationParameters(0.5f, 10).Quantize(value));
    }

    [Fact]
    public void Dequantize_is_scale_times_the_distance_to_the_zero_point()
    {
        var grid = new QuantizationParameters(0.5f, 10);

        Assert.Equal(1f, grid.Dequantize(12));
        Assert.Equal([-5f, 0f, 122.5f], grid.Dequantize([0, 10, 255]));
    }

    [Fact]
    public void Quantize_matches_onnx_runtimes_QuantizeLinear_on_every_value()
    {
        var grid = new QuantizationParameters(3f / 255, 128);
        var random = new Random(3);
        // Random values over and beyond the range, plus every exact half level, where the rounding rule shows.
        var values = Enumerable.Range(0, 2000).Select(_ => (random.NextSingle() * 4) - 2)
            .Concat(Enumerable.Range(-130, 260).Select(level => (level + 0.5f) * grid.Scale))
            .ToArray();
        var model = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, values.Length)
            .Output("q", DataType.Uint8, values.Length)
            .Initializer(TensorData.FromFloats("scale", [], [grid.Scale]))
            .Initializer(TensorData.FromUInt8("zero_point", [], [grid.ZeroPoint]))
            .Node("QuantizeLinear", ["x", "scale", "zero_point"], ["q"])
            .Build();

        var expected = OrtRunner.Run(model.ToByteArray(), new Dictionary<string, InputTensor> { ["x"] = new(values, [values.Length]) })["q"].Data;

        Assert.Equal(expected, grid.Quantize(values).Select(level => (float)level));
    }

    [Fact]
    public void Quantize_into_a_short_destination_names_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new QuantizationParameters(1f, 0).Quantize([1f, 2f], new byte[1]));

        Assert.Equal("destination", error.ParamName);
    }
}
