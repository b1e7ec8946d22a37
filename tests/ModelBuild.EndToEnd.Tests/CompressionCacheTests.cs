using System.Text.RegularExpressions;
using Google.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// The compression cache through real builds, with a cache folder of the test's own: a clean build after
/// <c>dotnet clean</c> restores the outputs without running the compressor, a changed setting compresses again, and
/// a missed budget is never cached. The model is <c>int8-full</c> with evaluation data and an accuracy budget, which
/// the build measures like any recipe.
/// </summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class CompressionCacheTests(PackedModelBuild package, ScratchApp fixture) : IClassFixture<ScratchApp>, IDisposable
{
    private const string ModelFile = "Models/classifier.onnx";
    private const int Samples = 24;
    private static readonly Regex RestoredLine = new(@"restored Classifier\.onnx, Classifier\.modeldesc, Classifier\.report\.md, Classifier\.report\.html from the compression cache \(key [0-9a-f]{64}, ");

    private readonly ConsumerApp _app = fixture.Fresh(package);
    private readonly TemporaryFolder _cache = new();

    public void Dispose() => _cache.Dispose();

    private string OutputFolder => Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Classifier");

    // Normal verbosity shows the cache's lines (normal importance), and prefixes every line with its node.
    private ProcessResult Build(string verbosity = "n") =>
        Dotnet.Run(_app.Folder, "build", "-nologo", "-tl:off", "-nodeReuse:false", $"-v:{verbosity}", "-p:ModelBuildCache=true", $"-p:ModelBuildCacheDirectory={_cache.Path}");

    private ProcessResult Clean() => Dotnet.Run(_app.Folder, "clean", "-nologo", "-tl:off", "-nodeReuse:false");

    // The files the build uses and shows; the settings stamp, the CLI's result file and the dependency file are its own.
    private Dictionary<string, byte[]> Outputs() =>
        Directory.GetFiles(OutputFolder).Where(file => !new[] { ".settings", ".result.json", ".datafiles" }.Any(ending => file.EndsWith(ending, StringComparison.Ordinal)))
            .ToDictionary(file => Path.GetFileName(file), File.ReadAllBytes);

    [Fact]
    public void After_dotnet_clean_the_build_restores_identical_outputs_without_the_compressor_and_a_changed_setting_compresses_again()
    {
        WriteModelAndData();
        WriteProject("""MaxAccuracyDrop="10pt" """);

        var first = Build();
        Assert.True(first.Succeeded, first.ToString());
        Assert.NotEmpty(BuildOutput.CompressorLines(first, "classifier.onnx"));
        Assert.Contains("not in the compression cache", first.Output);
        Assert.Contains("stored in the compression cache", first.Output);
        var compressed = Outputs();
        Assert.Equal(["Classifier.modeldesc", "Classifier.onnx", "Classifier.report.html", "Classifier.report.md"], compressed.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("recipe\tint8-full", System.Text.Encoding.UTF8.GetString(compressed["Classifier.modeldesc"]));

        var clean = Clean();
        Assert.True(clean.Succeeded, clean.ToString());
        Assert.False(Directory.Exists(OutputFolder), "dotnet clean left the outputs");

        var restored = Build();
        Assert.True(restored.Succeeded, restored.ToString());
        Assert.Empty(BuildOutput.CompressorLines(restored, "classifier.onnx"));
        Assert.Matches(RestoredLine, restored.Output);
        Assert.Contains($"report {Path.Combine(OutputFolder, "Classifier.report.md")}: ", restored.Output);
        var again = Outputs();
        Assert.Equal(compressed.Keys.Order(), again.Keys.Order());
        Assert.All(compressed, pair => Assert.True(pair.Value.AsSpan().SequenceEqual(again[pair.Key]), $"{pair.Key} differs after the restore"));
        var run = _app.Run();
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("recipe int8-full, 4 scores", run.Output);

        Assert.True(Clean().Succeeded);
        WriteProject("""MaxAccuracyDrop="20pt" """);
        var changed = Build();
        Assert.True(changed.Succeeded, changed.ToString());
        Assert.NotEmpty(BuildOutput.CompressorLines(changed, "classifier.onnx"));
        Assert.DoesNotMatch(RestoredLine, changed.Output);
        Assert.Equal(2, Directory.GetDirectories(_cache.Path).Length);
    }

    [Fact]
    public void A_missed_budget_is_not_cached_so_the_build_after_clean_compresses_and_fails_again()
    {
        WriteModelAndData();
        WriteProject("""MaxSize="100B" """);

        var missed = Build(verbosity: "m");
        Assert.False(missed.Succeeded, missed.ToString());
        Assert.Single(BuildOutput.Errors(missed, "MB1016"));
        Assert.Empty(Directory.GetDirectories(_cache.Path));

        Assert.True(Clean().Succeeded);
        var again = Build(verbosity: "m");
        Assert.False(again.Succeeded, again.ToString());
        Assert.NotEmpty(BuildOutput.CompressorLines(again, "classifier.onnx"));
        Assert.Single(BuildOutput.Errors(again, "MB1016"));
    }

    [Fact]
    public void A_changed_external_data_file_compresses_again_and_after_dotnet_clean_the_cache_restores_the_new_weights()
    {
        // The model's bytes name only the data file, its offsets and lengths: another seed changes the data file alone.
        var models = Path.Combine(_app.Folder, "Models");
        var modelPath = TestModels.ExternalDataModel(models, seed: 2);
        var modelBytes = File.ReadAllBytes(modelPath);
        _app.WriteProject(
            """<OnnxModel Include="Models/external.onnx" Compression="int8-dynamic" />""",
            """System.Console.WriteLine(E2eApp.Models.External.Info.Recipe);""");
        var compressedPath = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.External", "External.onnx");
        var first = Build();
        Assert.True(first.Succeeded, first.ToString());
        var before = File.ReadAllBytes(compressedPath);

        TestModels.ExternalDataModel(models, seed: 7);
        Assert.Equal(modelBytes, File.ReadAllBytes(modelPath));
        var changed = Build();
        Assert.True(changed.Succeeded, changed.ToString());
        Assert.NotEmpty(BuildOutput.CompressorLines(changed, "external.onnx"));
        var after = File.ReadAllBytes(compressedPath);
        Assert.False(before.AsSpan().SequenceEqual(after), "the compressed model kept the old external weights");

        Assert.True(Clean().Succeeded);
        var restored = Build();
        Assert.True(restored.Succeeded, restored.ToString());
        Assert.Empty(BuildOutput.CompressorLines(restored, "external.onnx"));
        Assert.Contains("from the compression cache", restored.Output);
        Assert.Equal(after, File.ReadAllBytes(compressedPath));
    }

    private void WriteModelAndData()
    {
        _app.WriteModel(ModelFile, TestModels.ConvClassifier().ToByteArray());
        var random = new Random(3);
        var inputs = Enumerable.Range(0, Samples * 64).Select(_ => random.NextSingle()).ToArray();
        NpyArray.WriteFloats(Path.Combine(_app.Folder, "data", "inputs.npy"), inputs, Samples, 1, 8, 8);
    }

    // Without labels the accuracy is the agreement of top-1 with the original, so the budget bounds what int8-full changes.
    private void WriteProject(string settings) =>
        _app.WriteProject(
            $"""<OnnxModel Include="{ModelFile}" Compression="int8-full" CalibrationData="data/inputs.npy" EvaluationData="data/inputs.npy" LatencyRounds="1" {settings}/>""",
            """
            using E2eApp.Models;
            using var classifier = new Classifier();
            var result = classifier.Run(Classifier.ImageQuantization.Quantize(new float[64]), 1);
            Console.WriteLine($"recipe {Classifier.Info.Recipe}, {Classifier.ScoresQuantization.Dequantize(result.Scores.Data).Length} scores");
            """);
}
