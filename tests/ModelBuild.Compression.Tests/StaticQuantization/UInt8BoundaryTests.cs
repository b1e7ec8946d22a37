using Google.Protobuf;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Description;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary><c>int8-full</c>: uint8 graph inputs and outputs on their calibrated grids, run in ONNX Runtime.</summary>
public sealed class UInt8BoundaryTests
{
    private static readonly long[] ImageShape = [1, 1, 8, 8];

    private static List<ImageTensor> RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new ImageTensor(Enumerable.Range(0, 64).Select(_ => random.NextSingle()).ToArray(), ImageShape)).ToList();
    }

    private static StaticQuantizationResult Quantize(StaticQuantizationOptions options) =>
        StaticInt8Quantizer.Quantize(TestModels.ConvClassifier(), CalibrationSamples.From(RandomImages(64, seed: 11), "image"), options);

    private static readonly StaticQuantizationOptions Full = new() { UInt8InputsAndOutputs = true };

    private static Runtime.QuantizationParameters Grid(BoundaryQuantization boundary) => boundary.Parameters;

    private static byte[] QuantizeInput(ImageTensor image, BoundaryQuantization input) =>
        image.Values.Select(v => Grid(input).Quantize(v)).ToArray();

    private static float[] Run(ModelProto model, Array input) =>
        OrtRunner.Run(model.ToByteArray(), new Dictionary<string, InputTensor> { ["image"] = new(input, ImageShape) }).Values.Single().Data;

    [Fact]
    public void Inputs_and_outputs_become_uint8_with_their_grids_recorded()
    {
        var result = Quantize(Full);
        var graph = result.Model.Graph;

        Assert.Equal((int)DataType.Uint8, graph.Input.Single(i => i.Name == "image").Type.TensorType.ElemType);
        Assert.Equal((int)DataType.Uint8, graph.Output.Single().Type.TensorType.ElemType);
        // The input feeds its DequantizeLinear directly; the output is written by its QuantizeLinear.
        Assert.Equal("DequantizeLinear", graph.Node.Single(n => n.Input.Contains("image")).OpType);
        Assert.Equal("QuantizeLinear", graph.Node.Single(n => n.Output.Contains("scores")).OpType);
        Assert.Equal([("input", "image"), ("output", "scores")], result.Boundaries.Select(b => (b.Kind, b.Name)));
        Assert.All(result.Boundaries, b => Assert.True(b.Scale > 0, $"{b.Name}: scale {b.Scale}"));
        // Inputs were drawn from [0, 1): the input grid starts at 0 and spans about 1/255 per level.
        var input = result.Boundaries[0];
        Assert.Equal(0, input.ZeroPoint);
        Assert.InRange(input.Scale, 0.9f / 255, 1f / 255);
    }

    [Fact]
    public void Output_bytes_are_exactly_the_int8_models_output_levels()
    {
        var full = Quantize(Full);
        var qdq = Quantize(new StaticQuantizationOptions());
        var (input, output) = (full.Boundaries[0], full.Boundaries[1]);

        foreach (var image in RandomImages(8, seed: 99))
        {
            var bytes = Run(full.Model, QuantizeInput(image, input));
            var qdqLevels = Run(qdq.Model, image.Values).Select(v => (float)Grid(output).Quantize(v));
            // The int8 model quantizes the input and the output with the same grids inside the graph, so only the boundary moved.
            Assert.Equal(qdqLevels, bytes);
        }
    }

    [Fact]
    public void Dequantized_outputs_stay_within_5_percent_of_the_float_models_largest_output()
    {
        var full = Quantize(Full);
        var (input, output) = (full.Boundaries[0], full.Boundaries[1]);

        foreach (var image in RandomImages(8, seed: 99))
        {
            var expected = Run(TestModels.ConvClassifier(), image.Values);
            var actual = Run(full.Model, QuantizeInput(image, input)).Select(level => Grid(output).Dequantize((byte)level)).ToArray();
            var largest = expected.Max(Math.Abs);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / largest).Max();
            Assert.True(worst < 0.05f, $"largest difference {worst:P2} of the largest float output");
        }
    }

    [Fact]
    public void Boundaries_left_in_float_by_exclusions_get_their_own_calibrated_grids()
    {
        var result = Quantize(Full with { ExcludeOps = new HashSet<string>(StringComparer.Ordinal) { "Conv", "Gemm" } });
        var graph = result.Model.Graph;

        Assert.DoesNotContain(graph.Node, n => n.OpType is "QLinearConv" || (n.OpType == "Conv" && n.Input[0] == "image"));
        Assert.Equal(["input", "output"], result.Boundaries.Select(b => b.Kind));
        var (input, output) = (result.Boundaries[0], result.Boundaries[1]);
        var image = RandomImages(1, seed: 5)[0];
        var expected = Run(TestModels.ConvClassifier(), image.Values);
        var actual = Run(result.Model, QuantizeInput(image, input)).Select(level => Grid(output).Dequantize((byte)level)).ToArray();
        var largest = expected.Max(Math.Abs);
        Assert.All(expected.Zip(actual), pair => Assert.True(Math.Abs(pair.First - pair.Second) / largest < 0.05f, $"expected {pair.First}, found {pair.Second}"));
    }

    [Fact]
    public void Int8_activations_are_refused_because_the_boundary_is_uint8()
    {
        var error = Assert.Throws<ArgumentException>(() => Quantize(Full with { ActivationType = ActivationType.Int8 }));

        Assert.Contains("uint8 activations", error.Message);
    }

    [Fact]
    public void Recipe_int8_full_quantizes_the_boundary_and_int8_does_not()
    {
        var settings = new CompressionSettings { CalibrationInputs = RandomImages(16, seed: 3) };

        var full = ModelCompressor.Compress(TestModels.ConvClassifier(), Recipe.Int8Full, settings).Model;
        var int8 = ModelCompressor.Compress(TestModels.ConvClassifier(), Recipe.Int8, settings).Model;

        Assert.Equal(2, BoundaryQuantizationReader.Read(full).Count);
        Assert.Empty(BoundaryQuantizationReader.Read(int8));
        Assert.Equal((int)DataType.Float, int8.Graph.Input[0].Type.TensorType.ElemType);
    }

    [Fact]
    public void Recipe_int8_full_without_calibration_data_is_MB1017()
    {
        var error = Assert.Throws<CompressionException>(() => ModelCompressor.Compress(TestModels.ConvClassifier(), Recipe.Int8Full));

        Assert.Equal("MB1017", error.Code);
        Assert.Contains("'int8-full'", error.Message);
    }

    [Fact]
    public void The_description_carries_a_quantization_record_per_boundary_that_round_trips_the_scale()
    {
        var result = Quantize(Full);

        var lines = ModelDescriptionWriter.Format(new ModelDescription("int8-full", 1, 1, result.Model)).Split('\n');

        Assert.Contains("input\timage\tuint8\tN,1,8,8", lines);
        Assert.Contains("output\tscores\tuint8\tN,4", lines);
        var records = lines.Where(l => l.StartsWith("quantization\t", StringComparison.Ordinal)).Select(l => l.Split('\t')).ToList();
        Assert.Equal(2, records.Count);
        foreach (var (record, boundary) in records.Zip(result.Boundaries))
        {
            Assert.Equal([boundary.Kind, boundary.Name], record[1..3]);
            Assert.Equal(boundary.Scale, float.Parse(record[3], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(boundary.ZeroPoint, byte.Parse(record[4], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
