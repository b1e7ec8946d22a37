using ModelBuild.Compression;
using ModelBuild.Compression.Data;
using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>
/// The zoo's Fashion-MNIST CNN compressed with <c>int8-full</c> and run through its generated class the way an app
/// would: preprocessed floats quantized with the class's input grid, returned bytes read on its output grid.
/// Calibrated on 200 test images from the end of the set, evaluated on 500 others from its start.
/// </summary>
public sealed class ZooFashionInt8FullTests(ITestOutputHelper output)
{
    private const int CalibrationCount = 200;
    private const int EvaluationCount = 500;

    private const string AppSource = """
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static Fashion Create() => new Fashion();

                public static float[] Scores(Fashion model, float[] pixels)
                {
                    byte[] levels = Fashion.InputQuantization.Quantize(pixels);
                    return Fashion.OutputQuantization.Dequantize(model.Run(levels, 1).Output.Data);
                }
            }
        }
        """;

    [ZooFact]
    public void Inputs_quantized_with_the_exposed_grid_keep_top1_within_one_point_of_fp32()
    {
        var modelPath = Zoo.PathOf("fashion-mnist", "fashion-mnist-cnn.onnx");
        var original = OnnxModelFile.Load(modelPath);
        var labeled = LabeledDatasets.FromIdx(Zoo.PathOf("fashion-mnist", "t10k-images-idx3-ubyte.gz"), Zoo.PathOf("fashion-mnist", "t10k-labels-idx1-ubyte.gz"),
            new Preprocessing { Color = ImageColor.Grey, Mean = [0.5f], Std = [0.5f] });
        var settings = new CompressionSettings { CalibrationInputs = labeled.Skip(labeled.Count - CalibrationCount).Select(l => l.Input) };
        var compressed = ModelCompressor.Compress(original, Recipe.Int8Full, settings).Model;
        var app = CompiledApp.Build("Fashion", compressed, AppSource);
        var originalBytes = File.ReadAllBytes(modelPath);
        using var model = (IDisposable)app.Call("App.Calls", "Create")!;

        int fp32Correct = 0, int8FullCorrect = 0;
        foreach (var (input, label) in labeled.Take(EvaluationCount))
        {
            var fp32 = OrtRunner.Run(originalBytes, new Dictionary<string, InputTensor> { ["input"] = new(input.Values, input.Shape) })["output"].Data;
            var int8Full = (float[])app.Call("App.Calls", "Scores", model, input.Values)!;
            if (ArgMax(fp32) == label) fp32Correct++;
            if (ArgMax(int8Full) == label) int8FullCorrect++;
        }

        var dropPoints = (fp32Correct - int8FullCorrect) * 100.0 / EvaluationCount;
        output.WriteLine($"fashion-mnist int8-full through the generated class: fp32 top-1 {fp32Correct * 100.0 / EvaluationCount:F2}%, int8-full {int8FullCorrect * 100.0 / EvaluationCount:F2}% on {EvaluationCount}; drop {dropPoints:F2} points");
        Assert.True(dropPoints <= 1.0, $"int8-full top-1 {int8FullCorrect}/{EvaluationCount} against fp32 {fp32Correct}/{EvaluationCount}, a drop of {dropPoints:F2} points");
    }

    private static int ArgMax(float[] scores) => Array.IndexOf(scores, scores.Max());
}
