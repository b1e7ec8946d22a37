using Google.Protobuf;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Targets;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Passes;

/// <summary>
/// ModelCompressor is a loop over the recipe's steps: each step has one pass, preparation passes are idempotent, and
/// naming a preparation step the pipeline would insert anyway changes nothing (it runs once).
/// </summary>
public sealed class RecipePipelineTests
{
    private static readonly PassContext Context = new(Recipe.None, CompressionSettings.Default, TargetCpus.SchemeFor(TargetCpu.Portable), null);

    [Fact]
    public void Every_step_of_the_grammar_has_exactly_one_pass_and_every_pass_a_step()
    {
        Assert.Equal(RecipeSteps.All.Select(s => s.Name).Order(), RecipePasses.Steps.Order());
        Assert.All(RecipeSteps.All, step => Assert.IsAssignableFrom(
            step.Order == OrderClass.Packing ? typeof(IPackingPass) : typeof(IModelPass), RecipePasses.Create(new RecipeStep(step))));
    }

    public static TheoryData<string> PreparationSteps() =>
        new(RecipeSteps.All.Where(s => s.Order == OrderClass.Preparation).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(PreparationSteps))]
    public void A_preparation_step_changes_a_model_that_needs_it_once_and_then_nothing(string stepName)
    {
        var step = Recipe.Parse(stepName).Steps.Single();
        // An opset 8 model with Constant weights, a reshaped weight (mnist) and BatchNormalization.
        ModelProto[] models = [TestModels.ConstantWeightsModel(), ExtraModels.HugeBatchNormVariance(), TestModels.Ir3Model(), .. ZooIfPresent()];
        var changedSomething = false;
        foreach (var model in models)
        {
            var once = model.Clone();
            changedSomething |= ((IModelPass)RecipePasses.Create(step)).Apply(once, Context) > 0;
            var twice = once.Clone();

            Assert.Equal(0, ((IModelPass)RecipePasses.Create(step)).Apply(twice, Context));
            Assert.Equal(once.ToByteArray(), twice.ToByteArray());
        }
        if (models.Length > 3)
            Assert.True(changedSomething, $"'{stepName}' changed none of the test models, so its idempotence shows nothing");
    }

    [Theory]
    [InlineData("fp16", "hoist-constants+fold-reshapes+fp16")]
    [InlineData("int8-dynamic", "fold-reshapes+hoist-constants+int8-dynamic")]
    [InlineData("int8-dynamic+huffman", "hoist-constants+int8-dynamic+huffman")]
    public void Naming_a_preparation_step_the_pipeline_inserts_gives_the_same_model(string recipe, string withPreparationNamed)
    {
        ModelProto[] models = [TestModels.ConstantWeightsModel(), TestModels.MatMulModel(), .. ZooIfPresent()];
        foreach (var model in models)
        {
            var inserted = ModelCompressor.Compress(model, Recipe.Parse(recipe));
            var named = ModelCompressor.Compress(model, Recipe.Parse(withPreparationNamed));

            Assert.Equal(inserted.StoredBytes(), named.StoredBytes());
        }
    }

    [Fact]
    public void Static_int8_prepares_the_model_as_the_pipeline_does()
    {
        ModelProto[] models = [ExtraModels.HugeBatchNormVariance(), TestModels.ConstantWeightsModel(), .. ZooIfPresent()];
        foreach (var model in models)
        {
            var pipeline = model.Clone();
            foreach (var step in Recipe.Int8.PipelineSteps().Where(s => s.Definition.Order == OrderClass.Preparation))
                ((IModelPass)RecipePasses.Create(step)).Apply(pipeline, Context);
            OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(pipeline);

            Assert.Equal(pipeline.ToByteArray(), ModelBuild.Compression.Quantization.StaticInt8Quantizer.Prepare(model).ToByteArray());
            Assert.Equal(13, OnnxGraph.OpsetVersion(pipeline));
            Assert.DoesNotContain(pipeline.Graph.Node, n => n.OpType is "BatchNormalization" or "Constant");
        }
    }

    [Theory]
    [InlineData("int8:entropy", CalibrationMethod.MinMax, "int8", CalibrationMethod.Entropy)]
    [InlineData("int8:percentile:99.5", CalibrationMethod.Entropy, "int8", CalibrationMethod.Percentile)]
    [InlineData("int8-full:percentile:90", CalibrationMethod.MinMax, "int8-full", CalibrationMethod.Percentile)]
    public void A_recipe_parameter_wins_over_the_items_option(string withParameter, CalibrationMethod itemOption, string plain, CalibrationMethod sameAs)
    {
        var model = TestModels.ConvClassifier();
        var random = new Random(5);
        var images = Enumerable.Range(0, 32).Select(_ => new ImageTensor(Enumerable.Range(0, 64).Select(_ => random.NextSingle() * 4 - 1).ToArray(), [1, 1, 8, 8])).ToList();
        CompressionSettings Settings(CalibrationMethod method, double percentile = 99.99) =>
            new() { CalibrationInputs = images, Int8 = new() { CalibrationMethod = method, Percentile = percentile } };

        var parameterised = ModelCompressor.Compress(model, Recipe.Parse(withParameter), Settings(itemOption)).StoredBytes();
        var percentile = Recipe.Parse(withParameter).Steps[0].Argument("percentile") is { } given ? double.Parse(given, System.Globalization.CultureInfo.InvariantCulture) : 99.99;
        var viaOption = ModelCompressor.Compress(model, Recipe.Parse(plain), Settings(sameAs, percentile)).StoredBytes();
        var itemsOwn = ModelCompressor.Compress(model, Recipe.Parse(plain), Settings(itemOption)).StoredBytes();

        Assert.Equal(viaOption, parameterised);
        Assert.NotEqual(itemsOwn, parameterised);
    }

    private static ModelProto[] ZooIfPresent() => File.Exists(ZooModels.Mnist.ModelPath) ? [OnnxModelFile.Load(ZooModels.Mnist.ModelPath)] : [];
}
