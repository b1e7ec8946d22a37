using ModelBuild.Compression.Data;
using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>The zoo's real MNIST model (CNTK export, opset 8) behind a generated class, on real MNIST test digits.</summary>
public sealed class ZooMnistTests(ITestOutputHelper output)
{
    private const int DigitCount = 500;

    private const string AppSource = """
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static Digits Create() => new Digits();

                public static float[] Scores(Digits model, float[] pixels)
                {
                    DigitsOutput output = model.Run(pixels);
                    return output.Plus214_Output_0.Data;
                }
            }
        }
        """;

    [ZooFact]
    public void GeneratedClassClassifiesRealDigitsLikeOnnxRuntime()
    {
        var modelPath = Zoo.PathOf("mnist", "mnist-8.onnx");
        var modelBytes = File.ReadAllBytes(modelPath);
        var app = CompiledApp.Build("Digits", OnnxModelFile.Load(modelPath), AppSource, embeddedBytes: modelBytes);
        var images = IdxReader.Read(Zoo.PathOf("mnist", "t10k-images-idx3-ubyte.gz")).ToImages();
        var labels = IdxReader.Read(Zoo.PathOf("mnist", "t10k-labels-idx1-ubyte.gz")).ToLabels();
        using var model = (IDisposable)app.Call("App.Calls", "Create")!;

        var correct = 0;
        for (var i = 0; i < DigitCount; i++)
        {
            var pixels = Array.ConvertAll(images[i].Pixels, value => value / 255f);
            var scores = (float[])app.Call("App.Calls", "Scores", model, pixels)!;
            if (i < 20)
            {
                var direct = OrtRunner.Run(modelBytes, new Dictionary<string, InputTensor> { ["Input3"] = new(pixels, [1, 1, 28, 28]) });
                Assert.Equal(direct["Plus214_Output_0"].Data, scores);
            }
            if (Array.IndexOf(scores, scores.Max()) == labels[i]) correct++;
        }

        var accuracy = (double)correct / DigitCount;
        output.WriteLine($"mnist-8 through the generated class: top-1 {accuracy:P2} on the first {DigitCount} MNIST test digits");
        Assert.True(accuracy >= 0.97, $"top-1 {accuracy:P2} on {DigitCount} digits; the zoo baseline is 98.90% on 10,000");
    }
}
