using Google.Protobuf;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using static ModelBuild.TestSupport.OnnxAttributes;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary>
/// A Clip after a Conv folds into the output quantization only when it starts at exactly 0 (Relu6), where the grid's
/// lowest level is 0 itself. Clip(-1, 1) would be matched only to within half a step below -1, and Clip(0.5, 6)
/// would let values in [0, 0.5) through, so both stay.
/// </summary>
public sealed class ActivationAbsorptionTests
{
    private static ModelProto ConvClip(float min, float max)
    {
        var random = new Random(4);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, 1, 2, 6, 6)
            .Output("y", DataType.Float, 1, 3, 6, 6)
            .Initializer(OnnxModelBuilder.RandomFloats(random, "w", [3, 2, 3, 3]))
            .Initializer(TensorData.FromFloats("b", [3], [0.1f, -0.1f, 0.2f]))
            .Initializer(TensorData.FromFloats("clip_min", [], [min]))
            .Initializer(TensorData.FromFloats("clip_max", [], [max]))
            .Node("Conv", ["x", "w", "b"], ["conv_out"], Ints("pads", 1, 1, 1, 1))
            .Node("Clip", ["conv_out", "clip_min", "clip_max"], ["y"])
            .Build();
    }

    private static IEnumerable<IReadOnlyDictionary<string, ImageTensor>> Inputs(int count, int seed)
    {
        var random = new Random(seed);
        return CalibrationSamples.From(Enumerable.Range(0, count)
            .Select(_ => new ImageTensor(Enumerable.Range(0, 72).Select(_ => (random.NextSingle() * 4) - 2).ToArray(), [1, 2, 6, 6])).ToList(), "x");
    }

    [Theory]
    [InlineData(0f, 6f, false)]
    [InlineData(-1f, 1f, true)]
    [InlineData(0.5f, 6f, true)]
    public void Clip_is_absorbed_only_when_it_starts_at_zero(float min, float max, bool clipStays)
    {
        var model = ConvClip(min, max);

        var result = StaticInt8Quantizer.Quantize(model, Inputs(64, 1), new StaticQuantizationOptions());

        Assert.Equal(clipStays, result.Model.Graph.Node.Any(n => n.OpType == "Clip"));
        foreach (var sample in Inputs(4, 2))
        {
            var inputs = sample.ToDictionary(p => p.Key, p => new InputTensor(p.Value.Values, p.Value.Shape));
            var expected = OrtRunner.Run(model.ToByteArray(), inputs)["y"].Data;
            var actual = OrtRunner.Run(OnnxModelFile.ToBytes(result.Model), inputs)["y"].Data;
            Assert.All(actual, value => Assert.InRange(value, min - 1e-3f, max + 1e-3f));
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst < 0.05f * Math.Max(max - min, 1e-3f) + 0.05f, $"Clip({min}, {max}): largest difference {worst}");
        }
    }
}
