using Google.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// Deep Compression's entropy coding through a real build: an <c>int8+huffman</c> item embeds a ModelBuild container,
/// its generated class decodes it at construction and runs exactly as the <c>int8</c> item calibrated on the same data.
/// </summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class PackedModelBuildTests(PackedModelBuild package, ScratchApp fixture) : IClassFixture<ScratchApp>
{
    private const int Samples = 16;
    // ConvClassifier: image float[N,1,8,8] -> scores float[N,4].
    private const int InputSize = 64;

    private readonly ConsumerApp _app = fixture.Fresh(package);

    [Fact]
    public void An_int8_huffman_class_runs_like_the_int8_class_from_a_smaller_embedded_container()
    {
        _app.WriteModel("Models/classifier.onnx", TestModels.ConvClassifier().ToByteArray());
        var random = new Random(3);
        NpyArray.WriteFloats(Path.Combine(_app.Folder, "data", "calibration.npy"),
            Enumerable.Range(0, Samples * InputSize).Select(_ => (float)random.NextDouble()).ToArray(), Samples, 1, 8, 8);
        _app.WriteProject("""
                <OnnxModel Include="Models/classifier.onnx" ClassName="Plain" Compression="int8" CalibrationData="data/calibration.npy" />
                <OnnxModel Include="Models/classifier.onnx" ClassName="Packed" Compression="int8+huffman" CalibrationData="data/calibration.npy" />
            """, """
                using System.Globalization;
                using System.Linq;

                using var plain = new E2eApp.Models.Plain();
                using var packed = new E2eApp.Models.Packed();
                for (var n = 0; n < 3; n++)
                {
                    var input = Enumerable.Range(0, 64).Select(i => (i * 31 + n * 17) % 97 / 97f).ToArray();
                    Console.WriteLine("plain " + string.Join(",", plain.Run(input, 1).Scores.Data.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                    Console.WriteLine("packed " + string.Join(",", packed.Run(input, 1).Scores.Data.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                }
                var info = E2eApp.Models.Packed.Info;
                Console.WriteLine($"packed {info.Recipe} stored {info.StoredBytes} decoded {info.DecodedBytes}");
                Console.WriteLine($"plain {E2eApp.Models.Plain.Info.Recipe} stored {E2eApp.Models.Plain.Info.StoredBytes} decoded {E2eApp.Models.Plain.Info.DecodedBytes}");
                """);

        var build = _app.Build();
        var run = _app.Run();

        Assert.True(build.Succeeded, build.ToString());
        Assert.True(run.Succeeded, run.ToString());
        var lines = run.Output.Split('\n').Select(l => l.Trim()).ToList();
        // Score lines hold 4 comma-separated values; the Info lines hold none.
        List<string> Scores(string prefix) => lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(',')).Select(l => l[prefix.Length..]).ToList();
        var plainScores = Scores("plain ");
        var packedScores = Scores("packed ");
        Assert.Equal(3, plainScores.Count);
        Assert.Equal(plainScores, packedScores);

        var container = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Packed", "Packed.onnx");
        var int8 = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Plain", "Plain.onnx");
        var storedBytes = new FileInfo(container).Length;
        var int8Bytes = new FileInfo(int8).Length;
        Assert.Contains($"packed int8+huffman stored {storedBytes} decoded {int8Bytes}", run.Output);
        Assert.Contains($"plain int8 stored {int8Bytes} decoded {int8Bytes}", run.Output);
        Assert.True(storedBytes < int8Bytes, $"container {storedBytes} bytes, int8 model {int8Bytes}");
        Assert.Equal(0x89, File.ReadAllBytes(container)[0]);
    }
}
