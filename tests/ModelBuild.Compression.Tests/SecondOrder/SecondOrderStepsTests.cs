using ModelBuild.Compression.Data;
using ModelBuild.Compression.SecondOrder;
using ModelBuild.Compression.Sparsity;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using Xunit.Abstractions;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.SecondOrder;

/// <summary>
/// <c>prune</c>, <c>int4</c> and <c>int3</c> on the in-code models, measured on their own calibration inputs: the
/// fraction zeroed, zeros kept exact, each layer's output error <c>||(W - W') X||^2 / ||W X||^2</c> from the input
/// statistics of the original model (exact on those inputs), the weights' levels, and ONNX Runtime running the result.
/// </summary>
public sealed class SecondOrderStepsTests(ITestOutputHelper output)
{
    private static CompressionSettings Settings(ModelProto model) => new()
    {
        CalibrationInputs = Enumerable.Range(1, 32).Select(seed => RandomInputs.For(model, seed: seed).Values.First())
            .Select(input => new ImageTensor((float[])input.Data, input.Shape)).ToList(),
    };

    public static TheoryData<string, string> Models() => new()
    {
        { nameof(TestModels.ConvClassifier), "uniform" },
        { nameof(TestModels.ConvClassifier), "global" },
        { nameof(TestModels.ConvClassifier), "sensitivity" },
        { nameof(TestModels.MatMulModel), "sensitivity" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Prune_zeroes_the_asked_fraction_and_int8_keeps_every_zero(string modelName, string allocation)
    {
        var original = TestModels.All[modelName]();
        var settings = Settings(original);
        var pruned = ModelCompressor.Compress(original, Recipe.Parse($"prune:0.6:{allocation}"), settings).Model;
        var quantized = ModelCompressor.Compress(original, Recipe.Parse($"prune:0.6:{allocation}+int8"), settings).Model;

        var layers = LayerWeights.Read(pruned);
        var total = layers.Sum(l => l.Values.Length);
        var zeros = layers.Sum(l => l.Values.Count(v => v == 0));
        output.WriteLine($"{modelName} {allocation}: {zeros} of {total} zero; per layer {string.Join(", ", layers.Select(l => $"{l.Node.Name} {l.Values.Count(v => v == 0)}/{l.Values.Length}"))}");
        // Uniform rounds per layer; the other allocations are exact over all layers.
        if (allocation == "uniform")
            Assert.All(layers, l => Assert.Equal((int)Math.Round(l.Values.Length * 0.6, MidpointRounding.ToEven), l.Values.Count(v => v == 0)));
        else
            Assert.Equal((int)Math.Round(total * 0.6, MidpointRounding.ToEven), zeros);
        var after = LayerWeights.Read(quantized).ToDictionary(l => l.Node.Name, StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            for (var i = 0; i < layer.Values.Length; i++)
                Assert.True(layer.Values[i] != 0 || after[layer.Node.Name].Values[i] == 0, $"{layer.Node.Name} weight {i} is 0 after prune, {after[layer.Node.Name].Values[i]} after int8");
        }
        OrtRunner.Run(OnnxModelFile.ToBytes(quantized), RandomInputs.For(original, seed: 99), exactInt8: true);
    }

    [Theory]
    [InlineData(nameof(TestModels.ConvClassifier))]
    [InlineData(nameof(TestModels.MatMulModel))]
    public void Obs_repair_lowers_each_layers_output_error_below_magnitude_pruning(string modelName)
    {
        var original = TestModels.All[modelName]();
        var settings = Settings(original);
        var magnitude = ModelCompressor.Compress(original, Recipe.Parse("prune:0.5:uniform:none"), settings).Model;
        var repaired = ModelCompressor.Compress(original, Recipe.Parse("prune:0.5:uniform:obs"), settings).Model;

        foreach (var (layer, statistics) in Statistics(original, settings))
        {
            var before = layer.ReadMatrix(Weight(original, layer));
            var plain = LayerOutputError.Relative(statistics, before, layer.ReadMatrix(Weight(magnitude, layer)));
            var obs = LayerOutputError.Relative(statistics, before, layer.ReadMatrix(Weight(repaired, layer)));
            output.WriteLine($"{modelName} {layer.Name}: output error magnitude {plain:G4}, obs {obs:G4}");
            Assert.True(obs < plain, $"{layer.Name}: the repaired layer's output error {obs:G4} is not below magnitude pruning's {plain:G4}");
        }
    }

    [Fact]
    public void A_layer_the_user_excludes_keeps_every_weight_and_the_others_take_the_sparsity()
    {
        var original = TestModels.ConvClassifier();
        var excluded = LayerWeights.Read(original).First();
        var settings = Settings(original) with { Int8 = new() { ExcludeNodes = new HashSet<string>([excluded.Node.Name], StringComparer.Ordinal) } };

        var pruned = LayerWeights.Read(ModelCompressor.Compress(original, Recipe.Parse("prune:0.5:uniform"), settings).Model);

        Assert.Equal(excluded.Values, pruned.Single(l => l.Node.Name == excluded.Node.Name).Values);
        Assert.All(pruned.Where(l => l.Node.Name != excluded.Node.Name), l => Assert.Equal((int)Math.Round(l.Values.Length * 0.5, MidpointRounding.ToEven), l.Values.Count(v => v == 0)));
    }

    [Fact]
    public void Bias_correction_restores_each_output_channels_mean_on_the_calibration_data()
    {
        var original = TestModels.ConvClassifier();
        var settings = Settings(original);
        var pruned = ModelCompressor.Compress(original, Recipe.Parse("prune:0.5:uniform:bias"), settings).Model;

        // The Conv reads the graph input, so its inputs are the calibration inputs in both models: compare its mean outputs.
        var (layer, statistics) = Statistics(original, settings).First(s => s.Layer.Node.OpType == "Conv");
        var means = (ModelProto model) =>
        {
            var w = layer.ReadMatrix(Weight(model, layer));
            var b = TensorData.ReadFloats(model.Graph.Initializer.Single(t => t.Name == layer.Node.Input[2]));
            return Enumerable.Range(0, layer.Rows).Select(r => b[r] + Enumerable.Range(0, layer.Columns).Sum(c => w[(r * layer.Columns) + c] * statistics.Sums[0][c] / statistics.Count)).ToArray();
        };
        var expected = means(original);
        var actual = means(pruned);
        for (var r = 0; r < layer.Rows; r++)
            Assert.True(Math.Abs(expected[r] - actual[r]) <= 1e-5 * Math.Max(1, Math.Abs(expected[r])), $"channel {r}: mean output {actual[r]} after pruning, {expected[r]} before");
    }

    [Theory]
    [InlineData(nameof(TestModels.ConvClassifier), "int4")]
    [InlineData(nameof(TestModels.MatMulModel), "int4")]
    [InlineData(nameof(TestModels.ConvClassifier), "int3")]
    public void Gptq_rounding_errs_no_more_than_round_to_nearest_and_weights_stay_on_the_grid(string modelName, string step)
    {
        var original = TestModels.All[modelName]();
        var settings = Settings(original);
        // max-error 1: every layer at low bits, so both roundings are compared on every layer.
        var gptq = ModelCompressor.Compress(original, Recipe.Parse($"{step}:gptq:1"), settings).Model;
        var rtn = ModelCompressor.Compress(original, Recipe.Parse($"{step}:rtn:1"), settings).Model;

        double gptqTotal = 0, rtnTotal = 0;
        foreach (var (layer, statistics) in Statistics(original, settings))
        {
            var before = layer.ReadMatrix(Weight(original, layer));
            var g = LayerOutputError.Relative(statistics, before, layer.ReadMatrix(Dequantized(original, gptq, layer)));
            var r = LayerOutputError.Relative(statistics, before, layer.ReadMatrix(Dequantized(original, rtn, layer)));
            output.WriteLine($"{modelName} {step} {layer.Name}: output error gptq {g:G4}, rtn {r:G4}");
            (gptqTotal, rtnTotal) = (gptqTotal + g, rtnTotal + r);
        }
        Assert.True(gptqTotal <= rtnTotal, $"GPTQ's summed output error {gptqTotal:G4} is above round-to-nearest's {rtnTotal:G4}");

        var maxLevel = step == "int4" ? 7 : 3;
        foreach (var model in new[] { gptq, rtn })
        {
            var weights = model.Graph.Node.Where(n => n.OpType == "DequantizeLinear").Select(n => n.Input[0]).ToHashSet(StringComparer.Ordinal);
            var levels = model.Graph.Initializer.Where(t => weights.Contains(t.Name) && t.DataType == (int)DataType.Int8 && t.Dims.Count >= 2)
                .SelectMany(t => TensorData.ReadRawBytes(t).Select(b => (int)(sbyte)b)).ToList();
            Assert.NotEmpty(levels);
            Assert.All(levels, level => Assert.InRange(level, -maxLevel, maxLevel));
            OrtRunner.Run(OnnxModelFile.ToBytes(model), RandomInputs.For(original, seed: 99), exactInt8: true);
        }
    }

    [Fact]
    public void Pruned_zeros_stay_exact_through_int4_and_results_repeat()
    {
        var original = TestModels.ConvClassifier();
        var settings = Settings(original);
        var first = ModelCompressor.Compress(original, Recipe.Parse("prune:0.5+int4+huffman"), settings);
        var second = ModelCompressor.Compress(original, Recipe.Parse("prune:0.5+int4+huffman"), settings);
        var pruned = ModelCompressor.Compress(original, Recipe.Parse("prune:0.5"), settings).Model;

        Assert.Equal(first.StoredBytes(), second.StoredBytes());
        var after = LayerWeights.Read(first.Model).ToDictionary(l => l.Node.Name, StringComparer.Ordinal);
        var zeros = 0;
        foreach (var layer in LayerWeights.Read(pruned))
        {
            for (var i = 0; i < layer.Values.Length; i++)
            {
                if (layer.Values[i] != 0) continue;
                Assert.Equal(0f, after[layer.Node.Name].Values[i]);
                zeros++;
            }
        }
        Assert.True(zeros > 0);
    }

    [Theory]
    [InlineData("prune:0.5")]
    [InlineData("int4")]
    [InlineData("int3:rtn")]
    public void A_second_order_step_without_calibration_data_is_MB1017(string recipe)
    {
        var error = Assert.Throws<CompressionException>(() => ModelCompressor.Compress(TestModels.ConvClassifier(), Recipe.Parse(recipe), CompressionSettings.Default));
        Assert.Equal(DiagnosticCodes.DataRequired, error.Code);
    }

    [Fact]
    public void With_evaluation_inputs_prune_measures_the_sensitivity_there_and_still_zeroes_the_asked_fraction()
    {
        var original = TestModels.ConvClassifier();
        var settings = Settings(original);
        // Inputs unlike the calibration ones (other seeds, scaled): the sensitivities, hence the allocation, come from them.
        var evaluation = Enumerable.Range(100, 16).Select(seed => RandomInputs.For(original, seed: seed).Values.First())
            .Select(input => new ImageTensor(((float[])input.Data).Select(v => v * 3).ToArray(), input.Shape)).ToList();
        var lines = new List<string>();

        var onCalibration = ModelCompressor.Compress(original, Recipe.Parse("prune:0.6"), settings).Model;
        var onEvaluation = ModelCompressor.Compress(original, Recipe.Parse("prune:0.6"), settings with { EvaluationInputs = evaluation },
            new Support.SynchronousProgress(lines.Add)).Model;

        Assert.Contains("prune: per-layer sensitivity measured on 16 evaluation inputs", lines);
        Assert.Equal(ModelSparsity(onCalibration).Zeros, ModelSparsity(onEvaluation).Zeros);
    }

    private static ModelSparsity ModelSparsity(ModelProto model) => SparsityMeter.Measure(model);

    private static IEnumerable<(LinearLayer Layer, LayerStatistics Statistics)> Statistics(ModelProto model, CompressionSettings settings)
    {
        var layers = LinearLayers.Find(model.Graph);
        var collected = LayerStatisticsCollector.Collect(model, layers, settings.CalibrationInputs!, "test", null).ByWeight;
        Assert.Equal(layers.Count, collected.Count);
        return layers.Select(layer => (layer, collected[layer.WeightName]));
    }

    private static TensorProto Weight(ModelProto model, LinearLayer layer) => model.Graph.Initializer.Single(t => t.Name == layer.WeightName);

    /// <summary>The layer's weight as the quantized model computes with it, in the original's tensor layout.</summary>
    private static TensorProto Dequantized(ModelProto original, ModelProto quantized, LinearLayer layer)
    {
        var weight = LayerWeights.Read(quantized).Single(l => l.Node.Name == layer.Node.Name);
        return TensorData.FromFloats(layer.WeightName, Weight(original, layer).Dims.ToArray(), weight.Values);
    }
}
