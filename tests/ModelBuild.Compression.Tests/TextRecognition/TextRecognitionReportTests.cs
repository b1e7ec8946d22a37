using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Selection;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.TextRecognition;

/// <summary>Budgets and reports of a text recognizer speak of character accuracy and CER, never of top-1.</summary>
public sealed class TextRecognitionReportTests
{
    private static readonly ModelMeasurement Original =
        new("original", 0.95, AccuracyMetric.CharacterAccuracy, null, 8.0, 10_000_000, 10_000_000, 12, new TextAccuracy(0.05, 0.04, 0.75));

    private static readonly ModelMeasurement Int8 = Original with
    {
        Name = "int8 (percentile)", Accuracy = 0.93, StoredBytes = 3_000_000, LatencyMilliseconds = 6.0, Text = new TextAccuracy(0.07, 0.05, 0.5),
    };

    [Fact]
    public void A_drop_budget_is_checked_on_character_accuracy_in_points_and_says_so()
    {
        var verdict = Assert.Single(BudgetCheck.Verdicts(new Budget(new AccuracyDrop(1, IsRelative: false)), Original, Int8));

        Assert.False(verdict.Met);
        Assert.Equal("1pt (at least 94.00 % character accuracy)", verdict.Limit);
        Assert.Equal("character accuracy 93.00 % (2.00 points below 95.00 %)", verdict.Measured);
        Assert.Equal("character accuracy 1.00 points below the lowest allowed 94.00 %", verdict.Miss);
        Assert.True(Assert.Single(BudgetCheck.Verdicts(new Budget(new AccuracyDrop(2.5, IsRelative: true)), Original, Int8)).Met);
    }

    [Fact]
    public void The_markdown_report_has_character_accuracy_cer_cer_ignoring_case_and_exact_words_columns()
    {
        var markdown = MarkdownReport.Write(Result(AccuracyMetric.CharacterAccuracy));

        Assert.Contains("Accuracy is character accuracy on the text labels, 1 − CER", markdown);
        Assert.Contains("| model | character accuracy | CER | CER ignoring case | exact words | drop (points) | latency (ms) |", markdown);
        Assert.Contains("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n", markdown.ReplaceLineEndings("\n"));
        Assert.Contains("| int8 (percentile) | 93.00 % | 7.00 % | 5.00 % | 50.00 % | +2.00 | 6 |", markdown);
        Assert.Contains("character accuracy 93.00 %", markdown);
        Assert.DoesNotContain("top-1", markdown);
        Assert.DoesNotContain("top-5", markdown);
    }

    [Fact]
    public void The_html_report_names_the_columns_and_the_charts_axis_after_the_metric()
    {
        var html = HtmlReport.Write(Result(AccuracyMetric.CharacterAccuracy));

        Assert.Contains("<th>character accuracy</th><th>CER</th><th>CER ignoring case</th><th>exact words</th>", html);
        Assert.Contains("text-anchor=\"middle\">character accuracy</text>", html);
        Assert.DoesNotContain("top-", html);
    }

    [Fact]
    public void Without_labels_the_reports_say_text_agreement()
    {
        var result = Result(AccuracyMetric.TextAgreement);

        var markdown = MarkdownReport.Write(result);

        Assert.Contains("Accuracy is agreement of the decoded text with the original's", markdown);
        Assert.Contains("| model | text agreement | drop (points) | latency (ms) |", markdown);
        Assert.DoesNotContain("top-", markdown);
    }

    private static SelectionResult Result(AccuracyMetric metric)
    {
        var original = Original with { Metric = metric, Text = metric == AccuracyMetric.CharacterAccuracy ? Original.Text : null };
        var int8 = Int8 with { Metric = metric, Text = metric == AccuracyMetric.CharacterAccuracy ? Int8.Text : null };
        var budget = new Budget(new AccuracyDrop(5, IsRelative: false));
        var model = TextRecognizerModels.Recognizer();
        var outcome = new CandidateOutcome(Candidate.Of(Recipe.Int8), model, [], int8, -0.9, BudgetCheck.Verdicts(budget, original, int8));
        return new SelectionResult("rec.onnx", original, [outcome], outcome, [], ObjectiveWeights.Equal, budget, "Only int8 was tried.", []);
    }
}
