using System.Globalization;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>A real app built against the packed package runs its compressed models close to fp32 ONNX Runtime.</summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class BuildAndRunTests : IClassFixture<TwoModelApp>
{
    // fp16 weights keep about 3 significant digits; the outputs here are sums of 64 products of order 0.1.
    private const float Fp16Tolerance = 0.01f;
    // int8-dynamic also quantizes activations at run time: allow 5% of the largest fp32 output magnitude.
    private const float Int8RelativeTolerance = 0.05f;

    private const string ConvClass = "E2eApp.Models.ConvClassifier";
    private const string DenseClass = "E2eApp.Dense.DenseModel";

    private readonly TwoModelApp _fixture;
    private readonly ITestOutputHelper _log;

    public BuildAndRunTests(PackedModelBuild package, TwoModelApp fixture, ITestOutputHelper log)
    {
        _fixture = fixture.Ensure(package);
        _log = log;
    }

    [Fact]
    public void First_build_compresses_both_models_and_embeds_them_under_their_logical_names()
    {
        var build = _fixture.FirstBuild;
        Assert.True(build.Succeeded, build.ToString());
        Assert.NotEmpty(BuildOutput.CompressorLines(build, TwoModelApp.ConvFile));
        Assert.NotEmpty(BuildOutput.CompressorLines(build, TwoModelApp.DenseFile));

        var run = _fixture.App.Run();
        Assert.True(run.Succeeded, run.ToString());
        var resources = ParseResources(run.Output);
        Assert.Equal(["ModelBuild.E2eApp.Dense.DenseModel.onnx", "ModelBuild.E2eApp.Models.ConvClassifier.onnx"], resources.Keys.Order());
        Assert.True(resources["ModelBuild.E2eApp.Models.ConvClassifier.onnx"] < _fixture.ConvModel.Length,
            $"fp16 resource is {resources["ModelBuild.E2eApp.Models.ConvClassifier.onnx"]} bytes, the fp32 model {_fixture.ConvModel.Length}");
        Assert.True(resources["ModelBuild.E2eApp.Dense.DenseModel.onnx"] < _fixture.DenseModel.Length,
            $"int8 resource is {resources["ModelBuild.E2eApp.Dense.DenseModel.onnx"]} bytes, the fp32 model {_fixture.DenseModel.Length}");
        _log.WriteLine($"conv fp16: {_fixture.ConvModel.Length} -> {resources["ModelBuild.E2eApp.Models.ConvClassifier.onnx"]} bytes; " +
            $"dense int8-dynamic: {_fixture.DenseModel.Length} -> {resources["ModelBuild.E2eApp.Dense.DenseModel.onnx"]} bytes");
    }

    [Fact]
    public void Rebuild_skips_unchanged_models_and_recompresses_a_touched_or_reconfigured_one()
    {
        Assert.True(_fixture.FirstBuild.Succeeded, _fixture.FirstBuild.ToString());
        var convOutput = _fixture.OutputPath(ConvClass, ".onnx");
        var denseOutput = _fixture.OutputPath(DenseClass, ".onnx");
        var convWritten = File.GetLastWriteTimeUtc(convOutput);
        var denseWritten = File.GetLastWriteTimeUtc(denseOutput);

        var unchanged = _fixture.App.Build();
        Assert.True(unchanged.Succeeded, unchanged.ToString());
        Assert.Empty(BuildOutput.CompressorLines(unchanged, TwoModelApp.ConvFile));
        Assert.Empty(BuildOutput.CompressorLines(unchanged, TwoModelApp.DenseFile));
        Assert.Equal(convWritten, File.GetLastWriteTimeUtc(convOutput));
        Assert.Equal(denseWritten, File.GetLastWriteTimeUtc(denseOutput));

        File.SetLastWriteTimeUtc(_fixture.ModelPath(TwoModelApp.ConvFile), DateTime.UtcNow);
        var touched = _fixture.App.Build();
        Assert.True(touched.Succeeded, touched.ToString());
        Assert.NotEmpty(BuildOutput.CompressorLines(touched, TwoModelApp.ConvFile));
        Assert.Empty(BuildOutput.CompressorLines(touched, TwoModelApp.DenseFile));
        Assert.True(File.GetLastWriteTimeUtc(convOutput) > convWritten, "the touched model's output was not rewritten");
        Assert.Equal(denseWritten, File.GetLastWriteTimeUtc(denseOutput));

        try
        {
            _fixture.WriteProject(denseRecipe: "none");
            var reconfigured = _fixture.App.Build();
            Assert.True(reconfigured.Succeeded, reconfigured.ToString());
            Assert.NotEmpty(BuildOutput.CompressorLines(reconfigured, TwoModelApp.DenseFile));
            // The project file changed too, but not the conv model's settings: it is not compressed again.
            Assert.Empty(BuildOutput.CompressorLines(reconfigured, TwoModelApp.ConvFile));
            Assert.Contains("recipe\tnone", File.ReadAllText(_fixture.OutputPath(DenseClass, ".modeldesc")));
        }
        finally
        {
            // The other tests run the app as the fixture built it.
            _fixture.WriteProject(denseRecipe: "int8-dynamic");
            var restored = _fixture.App.Build();
            Assert.True(restored.Succeeded, restored.ToString());
        }
        Assert.Contains("recipe\tint8-dynamic", File.ReadAllText(_fixture.OutputPath(DenseClass, ".modeldesc")));
    }

    [Fact]
    public void Fp16_model_output_matches_fp32_onnx_runtime_within_tolerance()
    {
        var run = _fixture.App.Run();
        Assert.True(run.Succeeded, run.ToString());
        var expected = Fp32Output(_fixture.ConvModel, "image", [1, 1, 8, 8], "scores");
        var actual = ParseOutput(run.Output, "ConvClassifier.scores");
        AssertClose(expected, actual, Fp16Tolerance);
    }

    [Fact]
    public void Int8_dynamic_model_output_matches_fp32_onnx_runtime_within_tolerance_but_is_quantized()
    {
        var run = _fixture.App.Run();
        Assert.True(run.Succeeded, run.ToString());
        var expected = Fp32Output(_fixture.DenseModel, "features", [1, 16], "output");
        var actual = ParseOutput(run.Output, "DenseModel.output");
        AssertClose(expected, actual, Int8RelativeTolerance * expected.Max(Math.Abs));
        // Bit-identical outputs would mean the weights were never quantized.
        Assert.False(expected.SequenceEqual(actual), "int8-dynamic output equals the fp32 output bit for bit");
    }

    private static float[] Fp32Output(byte[] model, string inputName, long[] shape, string outputName)
    {
        var length = (int)shape.Aggregate(1L, (a, b) => a * b);
        var input = Enumerable.Range(0, length).Select(TwoModelApp.InputValue).ToArray();
        var outputs = OrtRunner.Run(model, new Dictionary<string, InputTensor> { [inputName] = new(input, shape) });
        return outputs[outputName].Data;
    }

    private void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        _log.WriteLine($"largest difference from fp32: {expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max():R} (tolerance {tolerance:R}, largest |fp32| {expected.Max(Math.Abs):R})");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"[{i}]: fp32 {expected[i]:R}, app {actual[i]:R}, difference {Math.Abs(expected[i] - actual[i]):R} > tolerance {tolerance:R}");
        }
    }

    private static float[] ParseOutput(string output, string label)
    {
        var line = output.Split('\n').Select(l => l.Trim()).SingleOrDefault(l => l.StartsWith(label + ": ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"the app printed no '{label}' line:\n{output}");
        return line[(label.Length + 2)..].Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    private static Dictionary<string, long> ParseResources(string output) =>
        output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("resource: ", StringComparison.Ordinal))
            .Select(l => l["resource: ".Length..].Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));
}
