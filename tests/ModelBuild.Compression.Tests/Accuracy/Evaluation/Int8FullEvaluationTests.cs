using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime;
using ModelBuild.TestSupport;
using Xunit.Abstractions;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Accuracy.Evaluation;

/// <summary>
/// Evaluating <c>int8-full</c> models (uint8 inputs and outputs): the runner quantizes the float input on the input's
/// grid and dequantizes the output, so the model scores as the <c>int8</c> model calibrated alike, which does the same
/// inside its graph.
/// </summary>
public sealed class Int8FullEvaluationTests(ITestOutputHelper output)
{
    private static readonly long[] ImageShape = [1, 1, 8, 8];

    private static List<ImageTensor> RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new ImageTensor(Enumerable.Range(0, 64).Select(_ => random.NextSingle()).ToArray(), ImageShape)).ToList();
    }

    private static (ModelProto Int8, ModelProto Full) Compress(ModelProto model, IReadOnlyList<ImageTensor> calibration)
    {
        var settings = new CompressionSettings { CalibrationInputs = calibration };
        return (ModelCompressor.Compress(model, Recipe.Int8, settings).Model, ModelCompressor.Compress(model, Recipe.Int8Full, settings).Model);
    }

    [Fact]
    public void The_runner_gives_an_int8_full_model_the_scores_of_the_int8_model()
    {
        var (int8, full) = Compress(TestModels.ConvClassifier(), RandomImages(64, seed: 11));

        using var int8Runner = ModelRunner.Open(int8.ToByteArray());
        using var fullRunner = ModelRunner.Open(full.ToByteArray());

        Assert.Null(int8Runner.InputGrid);
        Assert.NotNull(fullRunner.InputGrid);
        Assert.NotNull(fullRunner.OutputGrid);
        foreach (var image in RandomImages(16, seed: 99))
        {
            var expected = int8Runner.Run(image);
            var actual = fullRunner.Run(image);
            // int8 quantizes the input and the output on the same grids inside its graph: only the boundary moved.
            Assert.Equal(expected.Values, actual.Values);
            Assert.Equal(expected.Shape, actual.Shape);
            // Run again: the second run reads the input converted by the first.
            Assert.Equal(actual.Values, fullRunner.Run(image).Values);
        }
    }

    [Fact]
    public void Input_quantization_matches_onnx_runtimes_QuantizeLinear_bit_for_bit()
    {
        var grid = new QuantizationParameters(0.0123f, 37);
        var values = EdgeValues(grid).Concat(RandomValues(grid, 20_000, seed: 3)).ToArray();

        var ortLevels = QuantizeLinearInOrt(grid, values);
        var ours = BoundaryConversion.Quantize(values, grid);

        Assert.Equal(ortLevels, ours);
        // Through the runner: a model that only dequantizes its uint8 input shows the levels the runner fed it.
        using var runner = ModelRunner.Open(DequantizeModel(grid, values.Length).ToByteArray());
        var fed = runner.Run(new ImageTensor(values, [values.Length])).Values;
        Assert.Equal(ortLevels.Select(level => grid.Dequantize(level)).ToArray(), fed);
    }

    [Fact]
    public void A_uint8_input_without_a_grid_is_refused_when_opened_saying_why()
    {
        var model = new OnnxModelBuilder(opset: 13)
            .Input("pixels", DataType.Uint8, 4)
            .Output("copy", DataType.Uint8, 4)
            .Node("Identity", ["pixels"], ["copy"])
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => ModelRunner.Open(model.ToByteArray()));

        Assert.Contains("input 'pixels' is uint8", error.Message);
    }

    [Fact]
    public void Layer_diagnosis_of_an_int8_full_model_matches_the_int8_models()
    {
        var original = TestModels.ConvClassifier();
        var (int8, full) = Compress(original, RandomImages(64, seed: 11));
        var inputs = RandomImages(8, seed: 5);

        var expected = LayerDiagnosis.Rank(original, int8, inputs);
        var actual = LayerDiagnosis.Rank(original, full, inputs);

        Assert.NotEmpty(actual);
        Assert.Equal(expected.Select(l => (l.NodeName, l.SqnrDecibels)), actual.Select(l => (l.NodeName, l.SqnrDecibels)));
    }

    [ZooTheory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    public void On_the_zoo_an_int8_full_model_scores_as_the_int8_model(string modelName)
    {
        var model = new[] { ZooModels.Mnist, ZooModels.FashionMnist }.Single(m => m.Name == modelName);
        var proto = OnnxModelFile.Load(model.ModelPath);
        var labeled = model.LabeledSet;
        var calibration = labeled.Skip(labeled.Count - 200).Select(l => l.Input).ToList();
        var evaluation = labeled.Take(500).ToList();
        var (int8, full) = Compress(proto, calibration);

        using var int8Runner = ModelRunner.Open(int8.ToByteArray());
        using var fullRunner = ModelRunner.Open(full.ToByteArray());
        var int8Report = ClassificationEvaluator.Evaluate(int8Runner, evaluation);
        var fullReport = ClassificationEvaluator.Evaluate(fullRunner, evaluation);
        var step = fullRunner.OutputGrid!.Value.Scale;
        var largest = evaluation.Take(50).Max(l => int8Runner.Run(l.Input).Values.Zip(fullRunner.Run(l.Input).Values, (a, b) => Math.Abs(a - b)).Max());
        output.WriteLine($"{modelName}: int8 top-1 {int8Report.Top1:P2}, int8-full {fullReport.Top1:P2} on {evaluation.Count}; largest score difference {largest} (output step {step})");

        Assert.Equal(int8Report.Predictions, fullReport.Predictions);
        Assert.True(largest <= step, $"scores differ by up to {largest}, more than one output step {step}");
    }

    // Exact half levels, both ends of the grid and beyond, zero and negative zero.
    private static IEnumerable<float> EdgeValues(QuantizationParameters grid)
    {
        for (var level = -40; level <= 260; level++)
        {
            yield return (level - grid.ZeroPoint + 0.5f) * grid.Scale;
            yield return (level - grid.ZeroPoint) * grid.Scale;
        }
        yield return 0f;
        yield return -0f;
        yield return float.MaxValue;
        yield return float.MinValue;
    }

    private static IEnumerable<float> RandomValues(QuantizationParameters grid, int count, int seed)
    {
        var random = new Random(seed);
        var span = 300 * grid.Scale;
        return Enumerable.Range(0, count).Select(_ => (random.NextSingle() * span) - (0.2f * span));
    }

    private static byte[] QuantizeLinearInOrt(QuantizationParameters grid, float[] values)
    {
        var model = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, values.Length)
            .Output("q", DataType.Uint8, values.Length)
            .Initializer(TensorData.FromFloats("scale", [], [grid.Scale]))
            .Initializer(TensorData.FromUInt8("zero_point", [], [grid.ZeroPoint]))
            .Node("QuantizeLinear", ["x", "scale", "zero_point"], ["q"])
            .Build();
        using var session = new InferenceSession(model.ToByteArray(), OrtRunner.NewOptions());
        using var input = OrtValue.CreateTensorValueFromMemory(values, [values.Length]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["q"]);
        return outputs[0].GetTensorDataAsSpan<byte>().ToArray();
    }

    private static ModelProto DequantizeModel(QuantizationParameters grid, int length) =>
        new OnnxModelBuilder(opset: 13)
            .Input("levels", DataType.Uint8, length)
            .Output("values", DataType.Float, length)
            .Initializer(TensorData.FromFloats("scale", [], [grid.Scale]))
            .Initializer(TensorData.FromUInt8("zero_point", [], [grid.ZeroPoint]))
            .Node("DequantizeLinear", ["levels", "scale", "zero_point"], ["values"])
            .Build();
}
