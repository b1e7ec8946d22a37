using ModelBuild.Compression;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Quantization;
using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>
/// An <c>int8-full</c> model (the in-code Conv classifier, really quantized) behind its generated class: the app
/// quantizes floats with the class's input grid, runs on bytes and dequantizes the returned bytes with the output grid.
/// </summary>
public sealed class Int8FullConsumptionTests
{
    private static readonly long[] ImageShape = [1, 1, 8, 8];

    private const string AppSource = """
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static Classifier Create() => new Classifier();

                public static float[] Grid(bool input)
                {
                    var grid = input ? Classifier.ImageQuantization : Classifier.ScoresQuantization;
                    return new[] { grid.Scale, grid.ZeroPoint };
                }

                public static byte[] RunBytes(Classifier model, byte[] image) => model.Run(image, 1).Scores.Data;

                public static float[] RunFloats(Classifier model, float[] image)
                {
                    byte[] levels = Classifier.ImageQuantization.Quantize(image);
                    ClassifierOutput output = model.Run(levels, 1);
                    return Classifier.ScoresQuantization.Dequantize(output.Scores.Data);
                }
            }
        }
        """;

    private static List<ImageTensor> RandomImages(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new ImageTensor(Enumerable.Range(0, 64).Select(_ => random.NextSingle()).ToArray(), ImageShape)).ToList();
    }

    private static ModelProto Int8FullClassifier() => ModelCompressor.Compress(TestModels.ConvClassifier(), Recipe.Int8Full,
        new CompressionSettings { CalibrationInputs = RandomImages(64, seed: 11) }).Model;

    [Fact]
    public void The_class_exposes_the_models_grids_and_runs_bytes_like_onnx_runtime()
    {
        var quantized = Int8FullClassifier();
        var modelBytes = Google.Protobuf.MessageExtensions.ToByteArray(quantized);
        var app = CompiledApp.Build("Classifier", quantized, AppSource);
        var boundaries = BoundaryQuantizationReader.Read(quantized);
        using var model = (IDisposable)app.Call("App.Calls", "Create")!;

        Assert.Equal([boundaries[0].Scale, boundaries[0].ZeroPoint], (float[])app.Call("App.Calls", "Grid", true)!);
        Assert.Equal([boundaries[1].Scale, boundaries[1].ZeroPoint], (float[])app.Call("App.Calls", "Grid", false)!);
        var random = new Random(7);
        for (var i = 0; i < 4; i++)
        {
            var image = new byte[64];
            random.NextBytes(image);
            var direct = OrtRunner.Run(modelBytes, new Dictionary<string, InputTensor> { ["image"] = new(image, ImageShape) })["scores"].Data;
            var bytes = (byte[])app.Call("App.Calls", "RunBytes", model, image)!;
            Assert.Equal(direct, bytes.Select(b => (float)b));
        }
    }

    [Fact]
    public void Floats_quantized_with_the_exposed_grid_come_back_within_5_percent_of_the_float_model()
    {
        var app = CompiledApp.Build("Classifier", Int8FullClassifier(), AppSource);
        var floatModel = Google.Protobuf.MessageExtensions.ToByteArray(TestModels.ConvClassifier());
        using var model = (IDisposable)app.Call("App.Calls", "Create")!;

        foreach (var image in RandomImages(8, seed: 99))
        {
            var expected = OrtRunner.Run(floatModel, new Dictionary<string, InputTensor> { ["image"] = new(image.Values, ImageShape) })["scores"].Data;
            var actual = (float[])app.Call("App.Calls", "RunFloats", model, image.Values)!;
            var largest = expected.Max(Math.Abs);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / largest).Max();
            Assert.True(worst < 0.05f, $"largest difference {worst:P2} of the largest float output");
        }
    }
}
