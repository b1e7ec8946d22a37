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

        var container = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Packed", "Packed.mbc");
        var int8 = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Plain", "Plain.onnx");
        var storedBytes = new FileInfo(container).Length;
        var int8Bytes = new FileInfo(int8).Length;
        Assert.Contains($"packed int8+huffman stored {storedBytes} decoded {int8Bytes}", run.Output);
        Assert.Contains($"plain int8 stored {int8Bytes} decoded {int8Bytes}", run.Output);
        Assert.True(storedBytes < int8Bytes, $"container {storedBytes} bytes, int8 model {int8Bytes}");
        Assert.Equal(0x89, File.ReadAllBytes(container)[0]);
        // The ONNX the container decodes to lies beside it for Netron: the int8 item's model, byte for byte.
        Assert.Equal(File.ReadAllBytes(int8), File.ReadAllBytes(Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Packed", "Packed.decoded.onnx")));
    }

    /// <summary>
    /// Issue 10 item 6: a container is <c>&lt;Class&gt;.mbc</c> with the decoded ONNX beside it; both are public item
    /// metadata, outputs of the incremental build (a deleted one brings the model back), cleaned, and restored by the
    /// cache; the class still loads its resource under the usual name.
    /// </summary>
    [Fact]
    public void A_container_is_named_mbc_with_its_decoded_onnx_beside_it_through_incremental_build_clean_and_cache()
    {
        using var cache = new TemporaryFolder();
        _app.WriteModel("Models/classifier.onnx", TestModels.ConvClassifier().ToByteArray());
        _app.WriteProject("""
                <OnnxModel Include="Models/classifier.onnx" ClassName="Plain" Compression="int8-dynamic" />
                <OnnxModel Include="Models/classifier.onnx" ClassName="Packed" Compression="int8-dynamic+huffman" />
            """, """
                using var packed = new E2eApp.Models.Packed();
                System.Console.WriteLine($"packed {E2eApp.Models.Packed.Info.Recipe} scores {packed.Run(new float[64], 1).Scores.Data.Length}");
                """);
        ProcessResult Build() => CachedBuild(cache);
        var packedFolder = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Packed");
        var container = Path.Combine(packedFolder, "Packed.mbc");
        var decoded = Path.Combine(packedFolder, "Packed.decoded.onnx");
        var plain = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Plain", "Plain.onnx");

        var first = Build();
        Assert.True(first.Succeeded, first.ToString());
        var run = _app.Run();
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("packed int8-dynamic+huffman scores 4", run.Output);
        Assert.Equal(["Packed.decoded.onnx", "Packed.mbc", "Packed.modeldesc"],
            Directory.GetFiles(packedFolder).Select(Path.GetFileName).Where(f => !f!.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith(".settings", StringComparison.Ordinal) && !f.EndsWith(".datafiles", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Plain", "Plain.decoded.onnx")));
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(decoded));
        var containerBytes = File.ReadAllBytes(container);

        var json = CompiledItems();
        var compressed = json.GetProperty("ModelBuildCompressedModel").EnumerateArray().ToList();
        var packedItem = compressed.Single(i => i.GetProperty("ClassName").GetString() == "Packed");
        Assert.Equal(container, packedItem.GetProperty("CompressedPath").GetString());
        Assert.Equal(decoded, packedItem.GetProperty("DecodedPath").GetString());
        var plainItem = compressed.Single(i => i.GetProperty("ClassName").GetString() == "Plain");
        Assert.Equal(plain, plainItem.GetProperty("CompressedPath").GetString());
        Assert.Equal("", plainItem.GetProperty("DecodedPath").GetString());
        // Embedded under the name the generated class loads; the decoded ONNX is not embedded.
        var resources = json.GetProperty("EmbeddedResource").EnumerateArray().ToList();
        Assert.Equal("ModelBuild.E2eApp.Models.Packed.onnx", resources.Single(r => r.GetProperty("FullPath").GetString() == container).GetProperty("LogicalName").GetString());
        Assert.DoesNotContain(resources, r => r.GetProperty("FullPath").GetString() == decoded);

        var upToDate = Build();
        Assert.True(upToDate.Succeeded, upToDate.ToString());
        Assert.Empty(BuildOutput.CompressorLines(upToDate, "classifier.onnx"));
        Assert.DoesNotContain("from the compression cache", upToDate.Output);

        // The decoded file is an output like the container: without it the model is out of date (the cache restores it).
        File.Delete(decoded);
        var restored = Build();
        Assert.True(restored.Succeeded, restored.ToString());
        Assert.Contains("restored Packed.mbc, Packed.modeldesc, Packed.decoded.onnx from the compression cache", restored.Output);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(decoded));
        Assert.Equal(containerBytes, File.ReadAllBytes(container));

        var clean = Dotnet.Run(_app.Folder, "clean", "-nologo", "-tl:off", "-nodeReuse:false");
        Assert.True(clean.Succeeded, clean.ToString());
        Assert.False(File.Exists(container) || File.Exists(decoded), "dotnet clean left the container or its decoded ONNX");
    }

    /// <summary>
    /// Issue 10 item 6 for <c>auto</c>, which learns only when it chooses whether its result is packed: a packed choice
    /// is embedded from <c>&lt;Class&gt;.mbc</c> with <c>&lt;Class&gt;.onnx</c> the ONNX it decodes to, through the
    /// compression cache too; a later plain choice would leave no <c>.mbc</c> behind (the task deletes it first).
    /// </summary>
    [Fact]
    public void Auto_names_a_packed_choice_mbc_with_the_onnx_it_decodes_to_beside_it()
    {
        using var cache = new TemporaryFolder();
        _app.WriteModel("Models/classifier.onnx", TestModels.ConvClassifier().ToByteArray());
        var random = new Random(5);
        NpyArray.WriteFloats(Path.Combine(_app.Folder, "data", "inputs.npy"),
            Enumerable.Range(0, Samples * InputSize).Select(_ => (float)random.NextDouble()).ToArray(), Samples, 1, 8, 8);
        // Weighing size alone, a packed candidate wins: each is smaller than the plain one it packs.
        _app.WriteProject("""
                <OnnxModel Include="Models/classifier.onnx" ClassName="Chosen" Compression="auto" CalibrationData="data/inputs.npy" EvaluationData="data/inputs.npy" LatencyRounds="1" ObjectiveWeights="size=1,latency=0,accuracy=1" />
            """, """
                using var chosen = new E2eApp.Models.Chosen();
                System.Console.WriteLine($"chosen {E2eApp.Models.Chosen.Info.Recipe} scores {chosen.Run(new float[64], 1).Scores.Data.Length}");
                """);
        ProcessResult Build() => CachedBuild(cache);
        var folder = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Chosen");
        var container = Path.Combine(folder, "Chosen.mbc");
        var onnx = Path.Combine(folder, "Chosen.onnx");

        var build = Build();
        Assert.True(build.Succeeded, build.ToString());
        var run = _app.Run();
        Assert.True(run.Succeeded, run.ToString());
        var recipe = File.ReadAllLines(Path.Combine(folder, "Chosen.modeldesc")).Single(l => l.StartsWith("recipe\t", StringComparison.Ordinal))["recipe\t".Length..];
        Assert.EndsWith("huffman", recipe);
        Assert.Contains($"chosen {recipe} scores 4", run.Output);
        var containerBytes = File.ReadAllBytes(container);
        var onnxBytes = File.ReadAllBytes(onnx);
        Assert.Equal(ContainerMagic, containerBytes[..ContainerMagic.Length]);
        Assert.True(containerBytes.Length < onnxBytes.Length, $"the container ({containerBytes.Length:N0} bytes) is not smaller than its ONNX ({onnxBytes.Length:N0})");
        Assert.Equal(TestModels.ConvClassifier().Graph.Input.Select(i => i.Name), ModelBuild.Onnx.Protobuf.ModelProto.Parser.ParseFrom(onnxBytes).Graph.Input.Select(i => i.Name));

        var json = CompiledItems();
        var item = Assert.Single(json.GetProperty("ModelBuildCompressedModel").EnumerateArray());
        Assert.Equal(container, item.GetProperty("CompressedPath").GetString());
        Assert.Equal(onnx, item.GetProperty("DecodedPath").GetString());
        var resources = json.GetProperty("EmbeddedResource").EnumerateArray().ToList();
        Assert.Equal("ModelBuild.E2eApp.Models.Chosen.onnx", resources.Single(r => r.GetProperty("FullPath").GetString() == container).GetProperty("LogicalName").GetString());
        Assert.DoesNotContain(resources, r => r.GetProperty("FullPath").GetString() == onnx);

        // Without its ONNX the model is out of date; the cache puts back both files.
        File.Delete(onnx);
        var restored = Build();
        Assert.True(restored.Succeeded, restored.ToString());
        Assert.Contains("Chosen.mbc", restored.Output[restored.Output.IndexOf("restored ", StringComparison.Ordinal)..]);
        Assert.Equal(containerBytes, File.ReadAllBytes(container));
        Assert.Equal(onnxBytes, File.ReadAllBytes(onnx));
    }

    private ProcessResult CachedBuild(TemporaryFolder cache) =>
        Dotnet.Run(_app.Folder, "build", "-nologo", "-tl:off", "-nodeReuse:false", "-v:n", "-p:ModelBuildCache=true", $"-p:ModelBuildCacheDirectory={cache.Path}");

    /// <summary>The public ModelBuildCompressedModel items and the EmbeddedResource items after ModelBuildCompile.</summary>
    private System.Text.Json.JsonElement CompiledItems()
    {
        var items = Dotnet.Run(_app.Folder, "msbuild", "-nologo", "-nodeReuse:false", "-t:ModelBuildCompile", "-getItem:ModelBuildCompressedModel", "-getItem:EmbeddedResource");
        Assert.True(items.Succeeded, items.ToString());
        return System.Text.Json.JsonDocument.Parse(items.Output[items.Output.IndexOf('{')..]).RootElement.GetProperty("Items");
    }

    // docs/internals.md, "Model container": the first 8 bytes of every container.
    private static readonly byte[] ContainerMagic = [0x89, (byte)'M', (byte)'B', (byte)'C', 0x0D, 0x0A, 0x1A, 0x0A];
}
