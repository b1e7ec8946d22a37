using ModelBuild.Compression.Data;
using ModelBuild.Compression.Sparsity;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Recipes;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Sparsity;

/// <summary>
/// A pruned model's zeros survive int8 exactly: every weight that is 0 in the float model dequantizes to exactly 0
/// (not to a small value) in each int8 recipe and weight scheme, read the way ONNX Runtime computes it,
/// <c>(q - zero point) * scale</c> in float, so the uint8 scheme's 128 with zero point 128 counts as the 0 it is.
/// </summary>
public sealed class Int8KeepsZerosTests(ITestOutputHelper output)
{
    public static TheoryData<string, Int8Scheme?> RecipesAndSchemes()
    {
        var data = new TheoryData<string, Int8Scheme?> { { "int8-dynamic", null }, { "int8-full", null } };
        foreach (var scheme in Enum.GetValues<Int8Scheme>())
        {
            data.Add("int8", scheme);
            data.Add("int8-dynamic", scheme);
        }
        return data;
    }

    [ZooTheory]
    [MemberData(nameof(RecipesAndSchemes))]
    public void Every_zero_of_the_pruned_family_model_stays_exactly_zero(string recipe, Int8Scheme? scheme)
    {
        var original = OnnxModelFile.Load(Zoo.PathOf("fashion-mnist-family", "fmnist-bn-cnn-pruned85.onnx"));

        var zeros = AssertZerosKept(original, recipe, scheme);

        output.WriteLine($"{recipe} {scheme?.ToString() ?? "(target's scheme)"}: {zeros:N0} float zeros, every one exactly 0 after int8");
        Assert.Equal(397_365, zeros);
    }

    [Theory]
    [MemberData(nameof(RecipesAndSchemes))]
    public void Every_zero_of_an_in_code_pruned_model_stays_exactly_zero(string recipe, Int8Scheme? scheme)
    {
        Assert.Equal(18 + 128, AssertZerosKept(PrunedModels.ConvClassifierHalfZero(), recipe, scheme));
    }

    /// <summary>Compresses, then checks each layer value by value; returns how many float zeros were checked.</summary>
    private static long AssertZerosKept(ModelProto original, string recipe, Int8Scheme? scheme)
    {
        var settings = new CompressionSettings
        {
            CalibrationInputs = Enumerable.Range(1, 8).Select(seed => RandomInputs.For(original, seed: seed).Values.First())
                .Select(input => new ImageTensor((float[])input.Data, input.Shape)).ToList(),
            Scheme = scheme,
        };
        var quantized = ModelCompressor.Compress(original, Recipe.Parse(recipe), settings).Model;

        var after = LayerWeights.Read(quantized).ToDictionary(l => l.Node.Name, StringComparer.Ordinal);
        long checkedZeros = 0;
        foreach (var layer in LayerWeights.Read(original))
        {
            Assert.True(after.TryGetValue(layer.Node.Name, out var int8), $"{recipe}: layer {layer.Node.Name} not found in the compressed model");
            Assert.Equal(layer.Values.Length, int8!.Values.Length);
            for (var i = 0; i < layer.Values.Length; i++)
            {
                if (layer.Values[i] != 0) continue;
                Assert.True(int8.Values[i] == 0, $"{recipe} {scheme}: {layer.Node.Name} weight {i} is 0 in the float model, {int8.Values[i]} after int8");
                checkedZeros++;
            }
        }
        return checkedZeros;
    }
}
