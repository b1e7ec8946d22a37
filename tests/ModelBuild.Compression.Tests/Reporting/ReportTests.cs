using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Sparsity;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Reporting;

public sealed class ReportTests
{
    private static readonly ModelMeasurement Original = new("original", 0.9, AccuracyMetric.Top1, 0.99, 2.0, 10_000, 10_000, 500);

    [Fact]
    public void Markdown_has_the_title_the_choice_a_row_per_candidate_and_the_layers()
    {
        var result = Result();

        var markdown = MarkdownReport.Write(result);

        Assert.StartsWith(ReportFormat.TitlePrefix + "digits.onnx", markdown);
        Assert.Contains(result.Explanation, markdown);
        Assert.Contains("| fp16 | 90.00 % | 99.00 % | 0.00 | 2.1 | 1.05x | 5,000 | 0.5x | 10,000 | -0.45 | met | **yes** |", markdown);
        Assert.Contains("| int8 (minmax) | 85.00 % | 99.00 % | +5.00 |", markdown);
        Assert.Contains("missed: MaxAccuracyDrop", markdown);
        Assert.Contains("| conv_0 | Conv | conv_out | 31.5 dB |", markdown);
    }

    [Fact]
    public void Html_is_self_contained_with_an_svg_marker_per_model()
    {
        var html = HtmlReport.Write(Result());

        Assert.Contains("<svg", html);
        Assert.Equal(3, html.Split("<circle").Length - 1);
        // Markers are numbered as the table's rows, and the marker's tooltip names the candidate.
        Assert.Contains("<td>2</td><td>int8 (minmax)</td>", html);
        Assert.Matches(@"<text [^>]*font-size=""11"">2</text>", html);
        Assert.Contains("<title>int8 (minmax): 2,500 bytes", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);
    }

    [Fact]
    public void Both_reports_give_the_zeros_per_layer_of_the_original_and_the_chosen_model()
    {
        var pruned = Tests.Sparsity.PrunedModels.ConvClassifierHalfZero();
        var chosen = ModelCompressor.Compress(pruned, Recipe.Int8Dynamic).Model;
        var result = Result() with { OriginalSparsity = SparsityMeter.Measure(pruned), ChosenSparsity = SparsityMeter.Measure(chosen) };
        var conv = result.OriginalSparsity.Layers[0].NodeName;

        var markdown = MarkdownReport.Write(result);
        var html = HtmlReport.Write(result);

        Assert.Contains("The original looks pruned: 50.00 % of its layer weights are exactly zero", markdown);
        Assert.Contains($"| {conv} | Conv | 36 | 18 (50.00 %) | 18 (50.00 %) |", markdown);
        Assert.Contains("| all |  | 292 | 146 (50.00 %) | 146 (50.00 %) |", markdown);
        Assert.Contains($"<tr><td>{conv}</td><td>Conv</td><td>36</td><td>18 (50.00 %)</td><td>18 (50.00 %)</td></tr>", html);
    }

    [Fact]
    public void Both_reports_give_top1_per_class_for_every_candidate_with_its_drop()
    {
        var result = Result();
        var original = result.Original with { PerClass = [new(0, 300, 285), new(1, 200, 165)] };
        var fp16 = result.Outcomes[0] with { Measurement = result.Outcomes[0].Measurement with { PerClass = [new(0, 300, 285), new(1, 200, 165)] } };
        var int8 = result.Outcomes[1] with { Measurement = result.Outcomes[1].Measurement with { PerClass = [new(0, 300, 270), new(1, 200, 155)] } };
        result = result with { Original = original, Outcomes = [fp16, int8], Chosen = fp16 };

        var markdown = MarkdownReport.Write(result);
        var html = HtmlReport.Write(result);

        Assert.Contains("| class | inputs | original | fp16 | int8 (minmax) |", markdown);
        Assert.Contains("| 0 | 300 | 95.00 % | 95.00 % (0.00) | 90.00 % (+5.00) |", markdown);
        Assert.Contains("| 1 | 200 | 82.50 % | 82.50 % (0.00) | 77.50 % (+5.00) |", markdown);
        Assert.Contains("<tr><td>1</td><td>200</td><td>82.50 %</td><td>82.50 % (0.00)</td><td>77.50 % (+5.00)</td></tr>", html);
        Assert.DoesNotContain("per class", MarkdownReport.Write(Result()));
    }

    private static SelectionResult Result()
    {
        var model = TestModels.ConvClassifier();
        var budget = new Budget(new AccuracyDrop(1, false));
        var fp16 = Original with { Name = "fp16", LatencyMilliseconds = 2.1, StoredBytes = 5_000 };
        var int8 = Original with { Name = "int8 (minmax)", Accuracy = 0.85, LatencyMilliseconds = 1.0, StoredBytes = 2_500, MemoryBytes = 2_500 };
        var outcomes = new[]
        {
            new CandidateOutcome(Candidate.Of(Recipe.Float16), model, [], fp16, -0.45, BudgetCheck.Verdicts(budget, Original, fp16)),
            new CandidateOutcome(Candidate.Of(Recipe.Int8), model, [], int8, -1.2, BudgetCheck.Verdicts(budget, Original, int8)),
        };
        return new SelectionResult("digits.onnx", Original, outcomes, outcomes[0], [new LayerNoise("conv_0", "Conv", "conv_out", 31.46)],
            ObjectiveWeights.Equal, budget, "Chosen: fp16, because.", []);
    }
}
