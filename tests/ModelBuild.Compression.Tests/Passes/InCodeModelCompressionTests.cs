using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Passes;

/// <summary>Every recipe on every in-code model, run in ONNX Runtime against the original.</summary>
public sealed class InCodeModelCompressionTests
{
    private static readonly Dictionary<string, Func<ModelProto>> Models = new(TestModels.All)
    {
        [nameof(ExtraModels.WideConv)] = () => ExtraModels.WideConv(),
        [nameof(ExtraModels.GemmTransposedActivation)] = () => ExtraModels.GemmTransposedActivation(),
        [nameof(ExtraModels.HugeBatchNormVariance)] = () => ExtraModels.HugeBatchNormVariance(),
    };

    public static TheoryData<string, string> ModelsAndRecipes()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in Models.Keys)
        {
            foreach (var recipe in Recipe.Known)
                data.Add(model, recipe.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndRecipes))]
    public void Compressed_model_runs_in_ONNX_Runtime_close_to_the_original(string modelName, string recipeName)
    {
        var original = Models[modelName]();
        var recipe = Recipe.Parse(recipeName);

        var run = CompressionRun.Of(original, recipe, RandomInputs.For(original, dynamicSize: 3));

        Assert.True(run.RelativeError <= Tolerances.For(recipe),
            $"{modelName} with {recipeName}: outputs differ by {run.RelativeError:P3} of the largest output; allowed {Tolerances.For(recipe):P1}");
        Assert.Equal(ModelSignature.Inputs(original), ModelSignature.Inputs(run.Compressed), TensorSignatureComparer.Instance);
        Assert.Equal(ModelSignature.Outputs(original), ModelSignature.Outputs(run.Compressed), TensorSignatureComparer.Instance);
        Assert.DoesNotContain("ConvInteger", ModelFacts.OperatorTypes(run.Compressed));
        Assert.True(ModelFacts.WeightBytes(run.Compressed) <= ModelFacts.WeightBytes(original));
    }

    [Theory]
    [MemberData(nameof(ModelsAndRecipes))]
    public void The_callers_model_is_left_untouched(string modelName, string recipeName)
    {
        var original = Models[modelName]();
        var before = ModelFacts.Bytes(original);

        ModelCompressor.Compress(original, Recipe.Parse(recipeName));

        Assert.Equal(before, ModelFacts.Bytes(original));
    }

    [Fact]
    public void None_returns_the_same_bytes_without_warnings()
    {
        var original = TestModels.ConstantWeightsModel();

        var result = ModelCompressor.Compress(original, Recipe.None);

        Assert.Equal(ModelFacts.Bytes(original), ModelFacts.Bytes(result.Model));
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData(nameof(TestModels.ConvClassifier))]
    [InlineData(nameof(TestModels.MatMulModel))]
    [InlineData(nameof(TestModels.ConstantWeightsModel))]
    [InlineData(nameof(TestModels.Ir3Model))]
    [InlineData(nameof(ExtraModels.WideConv))]
    public void Fp16_halves_the_bytes_of_every_float_weight_of_16_values_or_more(string modelName)
    {
        var original = Models[modelName]();
        var halvable = ModelFacts.Weights(original)
            .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && ModelFacts.Elements(t) >= 16)
            .Sum(ModelFacts.Elements);

        var result = ModelCompressor.Compress(original, Recipe.Float16);

        Assert.True(halvable > 0);
        Assert.Empty(result.Warnings);
        Assert.Equal(ModelFacts.WeightBytes(original) - 2 * halvable, ModelFacts.WeightBytes(result.Model));
        Assert.Equal(halvable, result.Model.Graph.Initializer
            .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float16).Sum(ModelFacts.Elements));
    }

    [Fact]
    public void Fp16_keeps_float_the_tensors_whose_values_overflow_float16()
    {
        var result = ModelCompressor.Compress(ExtraModels.HugeBatchNormVariance(), Recipe.Float16);

        var graph = result.Model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, t => (TensorProto.Types.DataType)t.DataType);
        Assert.Equal(TensorProto.Types.DataType.Float, initializers["bn.var"]);
        var meanCast = graph.Node.Single(n => n.OpType == "Cast" && n.Output[0] == "bn.mean");
        Assert.Equal(TensorProto.Types.DataType.Float16, initializers[meanCast.Input[0]]);
    }

    [Fact]
    public void Int8_stores_Conv_and_Gemm_weights_as_int8_about_a_quarter_of_the_bytes()
    {
        var original = ExtraModels.WideConv();

        var result = ModelCompressor.Compress(original, Recipe.Int8Dynamic);

        var int8 = result.Model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Int8).ToList();
        Assert.Equal([16L * 20, 16L * 8 * 3 * 3], int8.Select(ModelFacts.Elements).Order());
        Assert.All(int8, t => Assert.Equal(ModelFacts.Elements(t), t.RawData.Length));
        // 1,472 weights go from 4 bytes to 1, plus a float scale per output channel (16 + 20) and a folded bias.
        var ratio = (double)ModelFacts.WeightBytes(result.Model) / ModelFacts.WeightBytes(original);
        Assert.InRange(ratio, 0.25, 0.31);
        Assert.Contains("Conv", ModelFacts.OperatorTypes(result.Model));
        Assert.DoesNotContain("Gemm", ModelFacts.OperatorTypes(result.Model));
        var fused = Assert.Single(result.Model.Graph.Node, n => n.OpType == "DynamicQuantizeMatMul");
        Assert.Equal("com.microsoft", fused.Domain);
        Assert.Contains(result.Model.OpsetImport, o => o.Domain == "com.microsoft");
    }

    [Fact]
    public void Int8_dequantizes_Conv_weights_in_the_graph_with_Cast_and_Mul_by_channel_scales()
    {
        var result = ModelCompressor.Compress(ExtraModels.WideConv(), Recipe.Int8Dynamic);

        var graph = result.Model.Graph;
        var conv = Assert.Single(graph.Node, n => n.OpType == "Conv");
        var mul = Assert.Single(graph.Node, n => n.Output.Contains(conv.Input[1]));
        Assert.Equal("Mul", mul.OpType);
        var cast = Assert.Single(graph.Node, n => n.Output.Contains(mul.Input[0]));
        Assert.Equal("Cast", cast.OpType);
        Assert.Equal((int)TensorProto.Types.DataType.Int8, graph.Initializer.Single(t => t.Name == cast.Input[0]).DataType);
        Assert.Equal([16L, 1, 1, 1], graph.Initializer.Single(t => t.Name == mul.Input[1]).Dims);
    }

    [Fact]
    public void Gemm_with_a_transposed_activation_stays_float_and_the_recipe_warns_MB2002()
    {
        var original = ExtraModels.GemmTransposedActivation();

        var result = ModelCompressor.Compress(original, Recipe.Int8Dynamic);

        Assert.Equal("MB2002", Assert.Single(result.Warnings).Code);
        Assert.Equal(ModelFacts.Bytes(original), ModelFacts.Bytes(result.Model));
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    public void A_model_without_weights_to_compress_is_stored_unchanged_with_MB2002(string recipeName)
    {
        var original = TestModels.MultiInputModel();

        var result = ModelCompressor.Compress(original, Recipe.Parse(recipeName));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("MB2002", warning.Code);
        Assert.Contains(recipeName, warning.Message);
        Assert.Equal(ModelFacts.Bytes(original), ModelFacts.Bytes(result.Model));
        // Issue 10 item 4: a recipe that only passed the model through does not report itself as having run.
        Assert.Equal("none", result.RecipeName(Recipe.Parse(recipeName)));
        Assert.Equal("huffman", ModelCompressor.Compress(original, Recipe.Parse(recipeName + "+huffman")).RecipeName(Recipe.Parse(recipeName + "+huffman")));
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    public void An_already_quantized_model_passes_through_unchanged_with_MB2001(string recipeName)
    {
        var original = ExtraModels.QuantizeDequantize();

        var result = ModelCompressor.Compress(original, Recipe.Parse(recipeName));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("MB2001", warning.Code);
        Assert.Contains("QuantizeLinear", warning.Message);
        Assert.Equal(ModelFacts.Bytes(original), ModelFacts.Bytes(result.Model));
        Assert.Equal("none", result.RecipeName(Recipe.Parse(recipeName)));
    }

    [Fact]
    public void An_already_quantized_model_packed_passes_through_as_huffman()
    {
        var result = ModelCompressor.Compress(ExtraModels.QuantizeDequantize(), Recipe.Parse("int8-dynamic+huffman"));

        Assert.Equal("huffman", result.RecipeName(Recipe.Parse("int8-dynamic+huffman")));
        Assert.NotNull(result.Container);
    }

    /// <summary>Issue 10 item 4: nothing the run prints or warns names the asked recipe as the one that ran.</summary>
    [Fact]
    public void An_already_quantized_model_packed_is_described_reported_and_logged_as_huffman_only()
    {
        var lines = new List<string>();

        var result = ModelCompressor.Compress(ExtraModels.QuantizeDequantize(), Recipe.Parse("int8-dynamic+huffman"), CompressionSettings.Default, new SynchronousProgress(lines.Add));

        Assert.Contains(lines, line => line.StartsWith("packed ", StringComparison.Ordinal) && line.EndsWith("-byte container (huffman)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("int8-dynamic", StringComparison.Ordinal));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("so it is described as 'huffman'", warning.Message);
    }

    [Fact]
    public void Int8_full_on_an_already_quantized_model_warns_MB2007_that_inputs_and_outputs_stay_float()
    {
        var result = ModelCompressor.Compress(ExtraModels.QuantizeDequantize(), Recipe.Int8Full);

        Assert.Equal(["MB2001", "MB2007"], result.Warnings.Select(w => w.Code));
        Assert.Contains("they stay float, and the generated class takes and returns float", result.Warnings[1].Message);
        Assert.Equal("none", result.RecipeName(Recipe.Int8Full));
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    public void Weights_held_in_Constant_nodes_are_compressed(string recipeName)
    {
        var original = TestModels.ConstantWeightsModel();
        Assert.Empty(original.Graph.Initializer);

        var result = ModelCompressor.Compress(original, Recipe.Parse(recipeName));

        Assert.Empty(result.Warnings);
        Assert.True(ModelFacts.WeightBytes(result.Model) < 0.6 * ModelFacts.WeightBytes(original),
            $"{recipeName}: weights {ModelFacts.WeightBytes(original)} -> {ModelFacts.WeightBytes(result.Model)} bytes");
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    public void An_IR3_model_keeps_only_its_real_input_and_moves_to_IR4(string recipeName)
    {
        var original = TestModels.Ir3Model();

        var result = ModelCompressor.Compress(original, Recipe.Parse(recipeName));

        Assert.True(result.Model.IrVersion >= 4);
        Assert.Equal(["Input3"], OnnxGraph.RealInputs(result.Model.Graph).Select(i => i.Name));
        Assert.Empty(result.Warnings);
    }
}
