using ModelBuild.Compression.Packing;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// Before packing, multiplied weights' -0.0 become 0.0 (a pruning mask leaves -0.0 wherever it zeroed a negative
/// weight): the same outputs, and zeros the container codes as positions alone.
/// </summary>
public sealed class NegativeZeroWeightsTests
{
    /// <summary>WideConv with negative zeros in its Conv filters, its Gemm weight and its Conv bias (added, not multiplied).</summary>
    private static ModelProto WithNegativeZeros()
    {
        var model = ExtraModels.WideConv();
        foreach (var (name, every) in new[] { ("conv.weight", 3), ("fc.weight", 2), ("conv.bias", 4) })
        {
            var tensor = model.Graph.Initializer.Single(t => t.Name == name);
            var values = TensorData.ReadFloats(tensor);
            for (var i = 0; i < values.Length; i += every) values[i] = -0f;
            var replaced = TensorData.FromFloats(name, [.. tensor.Dims], values);
            tensor.RawData = replaced.RawData;
            tensor.FloatData.Clear();
        }
        return model;
    }

    private static int NegativeZeros(ModelProto model, string name) =>
        TensorData.ReadFloats(model.Graph.Initializer.Single(t => t.Name == name)).Count(v => v == 0 && float.IsNegative(v));

    [Fact]
    public void Multiplied_weights_lose_their_negative_zeros_and_the_outputs_stay_bit_for_bit()
    {
        var original = WithNegativeZeros();
        var model = original.Clone();
        var expected = new[] { "conv.weight", "fc.weight" }.Sum(name => NegativeZeros(original, name));
        var biasZeros = NegativeZeros(original, "conv.bias");

        var changed = NegativeZeroWeights.Canonicalize(model);

        Assert.True(expected > 100, $"{expected} negative zeros");
        Assert.Equal(expected, changed);
        Assert.Equal(0, NegativeZeros(model, "conv.weight"));
        Assert.Equal(0, NegativeZeros(model, "fc.weight"));
        Assert.Equal(biasZeros, NegativeZeros(model, "conv.bias"));
        var random = new Random(1);
        var inputs = new Dictionary<string, InputTensor> { ["x"] = new InputTensor(Enumerable.Range(0, 3 * 8 * 6 * 6).Select(i => i % 5 == 0 ? 0f : (float)random.NextDouble() - 0.5f).ToArray(), [3, 8, 6, 6]) };
        Assert.Equal(OrtRunner.Run(ModelFacts.Bytes(original), inputs)["y"].Data, OrtRunner.Run(ModelFacts.Bytes(model), inputs)["y"].Data);
        Assert.Equal(0, NegativeZeroWeights.Canonicalize(model));
    }

    [Fact]
    public void A_weight_also_read_by_another_operator_keeps_its_negative_zeros()
    {
        var model = WithNegativeZeros();
        var mul = new NodeProto { OpType = "Mul", Name = "scale" };
        mul.Input.Add("y");
        mul.Input.Add("fc.weight");
        mul.Output.Add("scaled");
        model.Graph.Node.Add(mul);
        var before = NegativeZeros(model, "fc.weight");

        NegativeZeroWeights.Canonicalize(model);

        Assert.Equal(before, NegativeZeros(model, "fc.weight"));
        Assert.Equal(0, NegativeZeros(model, "conv.weight"));
    }

    [Fact]
    public void A_packed_recipe_packs_positive_zeros_and_says_how_many_it_changed()
    {
        var original = WithNegativeZeros();
        var progress = new List<string>();

        var result = ModelCompressor.Compress(original, Recipe.Parse("huffman"), new SynchronousProgress(progress.Add));
        var decoded = OnnxModelFile.Parse(ModelContainer.Decode(result.Container!), "decoded");

        Assert.Equal(0, NegativeZeros(decoded, "conv.weight"));
        Assert.Equal(0, NegativeZeros(decoded, "fc.weight"));
        var expected = new[] { "conv.weight", "fc.weight" }.Sum(name => NegativeZeros(original, name));
        Assert.Contains(progress, line => line.StartsWith($"{expected:N0} negative zero weights made positive before packing", StringComparison.Ordinal));
        Assert.Equal(NegativeZeros(original, "conv.weight"), NegativeZeros(ModelCompressor.Compress(original, Recipe.None).Model, "conv.weight"));
    }
}
