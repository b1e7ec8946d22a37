using System.Globalization;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>A real app built against the packed package runs its compressed models close to fp32 ONNX Runtime.</summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class BuildAndRunTests : IClassFixture<TwoModelApp>
{
    // fp16 weights keep about 3 significant digits; the outputs here are sums of 64 products of order 0.1.
    private const float Fp16Tolerance = 0.01f;
    // int8-dynamic also quantizes activations at run time: allow 5% of the largest fp32 output magnitude.
    private const float Int8RelativeTolerance = 0.05f;

    private readonly TwoModelApp _fixture;

    public BuildAndRunTests(PackedModelBuild package, TwoModelApp fixture) => _fixture = fixture.Ensure(package);

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

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
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
