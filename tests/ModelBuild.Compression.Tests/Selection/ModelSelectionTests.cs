using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Selection;

/// <summary>Selection on a real classifier built in code, real ONNX Runtime sessions, data written by the test.</summary>
public sealed class ModelSelectionTests : IDisposable
{
    private static readonly ComparisonOptions QuickTiming = new() { LatencyInputs = 5, LatencyRounds = 2 };

    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 120, seed: 11, classCount: 4);
    private readonly Onnx.Protobuf.ModelProto model = TestModels.ConvClassifier();
    private readonly Dataset evaluation;
    private readonly CompressionSettings settings;

    public ModelSelectionTests()
    {
        var layout = ModelInputLayout.Of(model);
        var preprocessing = PreprocessingSpec.Parse(null, layout, images.ModelPath);
        evaluation = DatasetLoader.Load(images.Labeled, layout, preprocessing);
        settings = new CompressionSettings { CalibrationInputs = DatasetLoader.Load(images.Unlabeled, layout, preprocessing, limit: 40).Inputs };
    }

    public void Dispose() => images.Dispose();

    [Fact]
    public void Auto_chooses_differently_when_the_weights_of_L_change()
    {
        var sizeOnly = Auto(new ObjectiveWeights(Size: 1, Latency: 0, Accuracy: 0));
        var accuracyOnly = Auto(new ObjectiveWeights(Size: 0, Latency: 0, Accuracy: 1));

        Assert.Contains(sizeOnly.Outcomes, o => o.Candidate.Name == "int8 (minmax)");
        Assert.Contains(sizeOnly.Outcomes, o => o.Candidate.Name.Contains("without", StringComparison.Ordinal));
        Assert.Equal(sizeOnly.Outcomes.Min(o => o.Measurement.StoredBytes), sizeOnly.Chosen.Measurement.StoredBytes);
        Assert.Equal(accuracyOnly.Outcomes.Max(o => o.Measurement.Accuracy), accuracyOnly.Chosen.Measurement.Accuracy);
        Assert.NotEqual(sizeOnly.Chosen.Candidate.Name, accuracyOnly.Chosen.Candidate.Name);
        // The original scores 100% by construction: the labels are its own predictions.
        Assert.Equal(1.0, sizeOnly.Original.Accuracy);
        // Top-1 per class present in the labels (the original's own predictions), for it and every candidate, over every input once.
        Assert.True(sizeOnly.Original.PerClass.Count >= 2, $"{sizeOnly.Original.PerClass.Count} classes among the labels");
        Assert.All(sizeOnly.Outcomes, o => Assert.Equal(evaluation.Count, o.Measurement.PerClass.Sum(c => c.Count)));
        Assert.All(sizeOnly.Outcomes, o => Assert.Equal(o.Measurement.Accuracy, (double)o.Measurement.PerClass.Sum(c => c.Correct) / evaluation.Count, 12));
        // The clustered, packed int8 candidates are among those measured.
        Assert.Contains(sizeOnly.Outcomes, o => o.Candidate.Recipe.Text == "int8+cluster:4+huffman");
        Assert.All(sizeOnly.Outcomes, o => Assert.Equal(Objective.Loss(sizeOnly.Weights, sizeOnly.Original, o.Measurement), o.Loss, 12));
    }

    [Fact]
    public void A_candidate_that_onnx_runtime_fails_on_is_left_out_with_MB2003_and_the_others_are_measured()
    {
        // Calibration inputs of another shape make ONNX Runtime fail inside int8's calibration only.
        var misfit = settings with { CalibrationInputs = [new Data.ImageTensor(new float[100], [1, 1, 10, 10])] };
        var request = new SelectionRequest(evaluation, misfit) { Comparison = QuickTiming };

        var result = ModelSelection.Run("model.onnx", model, OnnxModelFile.ToBytes(model),
            [Candidate.Of(Recipe.Float16), Candidate.Of(Recipe.Int8), Candidate.Of(Recipe.Int8Dynamic)], request, searchExclusions: true);

        Assert.Equal(["fp16", "int8-dynamic"], result.Outcomes.Select(o => o.Candidate.Name));
        var skipped = Assert.Single(result.Warnings, w => w.Code == "MB2003");
        Assert.StartsWith("candidate int8 (minmax) was skipped: [ErrorCode:InvalidArgument] Got invalid dimensions for input: image", skipped.Message);
    }

    [Fact]
    public void A_missed_budget_keeps_the_lowest_L_candidate_and_explains_by_how_much()
    {
        var budget = new Budget(MaxSizeBytes: 100);
        var request = new SelectionRequest(evaluation, settings) { Budget = budget, Comparison = QuickTiming };

        var result = ModelSelection.Run("model.onnx", model, OnnxModelFile.ToBytes(model), [Candidate.Of(Recipe.Float16), Candidate.Of(Recipe.Int8Dynamic)], request, searchExclusions: false);
        var message = BudgetFailure.Message(result);

        Assert.False(result.ChosenMeetsBudgets);
        Assert.Equal(result.Outcomes.Min(o => o.Loss), result.Chosen.Loss);
        Assert.Contains($"{result.Chosen.Measurement.StoredBytes - 100:N0} bytes over the 100 allowed", message);
        Assert.StartsWith("No candidate meets every budget", result.Explanation);
    }

    [Theory]
    [InlineData("fp16", "try a smaller recipe")]
    [InlineData("int8", "no recipe is smaller than int8")]
    public void A_missed_size_budget_suggests_a_smaller_recipe_only_where_one_exists(string recipe, string advice)
    {
        var request = new SelectionRequest(evaluation, settings) { Budget = new Budget(MaxSizeBytes: 100), Comparison = QuickTiming };

        var result = ModelSelection.Run("model.onnx", model, OnnxModelFile.ToBytes(model), [Candidate.Of(Recipe.Parse(recipe))], request, searchExclusions: false);

        Assert.False(result.ChosenMeetsBudgets);
        Assert.Contains(advice, BudgetFailure.Message(result));
    }

    [Fact]
    public void A_missed_accuracy_budget_names_the_worst_layers_to_exclude()
    {
        // Ranges calibrated on one input clip the activations of the others: top-1 agreement drops below 100%.
        var starved = settings with { CalibrationInputs = settings.CalibrationInputs.Take(1).ToList() };
        var request = new SelectionRequest(evaluation, starved) { Budget = new Budget(new AccuracyDrop(0, false)), Comparison = QuickTiming };

        var result = ModelSelection.Run("model.onnx", model, OnnxModelFile.ToBytes(model), [Candidate.Of(Recipe.Int8)], request, searchExclusions: false);
        var message = BudgetFailure.Message(result);

        Assert.False(result.ChosenMeetsBudgets, $"int8 kept {result.Chosen.Measurement.Accuracy:P2} of the labels");
        Assert.Equal(["Conv", "Gemm"], result.Layers.Select(l => l.OperatorType).Order());
        Assert.Contains($"ExcludeNodes=\"{result.Layers[0].NodeName};{result.Layers[1].NodeName}\"", message);
        Assert.Contains("MaxAccuracyDrop 0pt", message);
    }

    [Fact]
    public void Recipes_that_leave_an_already_quantized_model_alike_are_one_candidate()
    {
        var quantized = ModelCompressor.Compress(model, Recipe.Int8, settings).Model;
        var request = new SelectionRequest(evaluation, settings) { Comparison = QuickTiming };

        var result = ModelSelection.Run("quantized.onnx", quantized, OnnxModelFile.ToBytes(quantized), AutoCandidates.For(settings), request, searchExclusions: true);

        // Every recipe passed it through: what ran is 'none' (or, for the packed candidates, 'huffman', the same model
        // packed), once each, and that is what is chosen and reported.
        Assert.Equal(["none", "huffman"], result.Outcomes.Select(o => o.Candidate.Name));
        Assert.Equal("none", result.Chosen.Candidate.Recipe.Base.Name);
        Assert.DoesNotContain("fp16", result.Explanation);
        Assert.Contains(result.Warnings, w => w.Code == "MB2001");
    }

    private SelectionResult Auto(ObjectiveWeights weights)
    {
        var request = new SelectionRequest(evaluation, settings) { Weights = weights, Comparison = QuickTiming, ExcludedWorstLayers = 1 };
        return ModelSelection.Run("model.onnx", model, OnnxModelFile.ToBytes(model), AutoCandidates.For(settings), request, searchExclusions: true);
    }
}
