using System.Globalization;
using System.Text;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Benchmarks.AutoSelection;

/// <summary>The RESULTS.md section of the <c>auto</c> run: the paper's table (candidates with accuracy, latency, size, L) and the report's explanation.</summary>
public static class AutoSelectionSection
{
    public static string Render(AutoSelectionRun run)
    {
        var result = run.Result;
        var original = result.Original;
        var text = new StringBuilder();
        var line = (string value) => text.Append(value).Append('\n');
        line("");
        line($"## `auto` on the Fashion-MNIST CNN");
        line("");
        line(Invariant($"`auto` as `modelbuild compress --recipe auto --max-accuracy-drop {FashionMnistAutoBenchmark.MaxAccuracyDrop}` runs it (the same library calls: `AutoCandidates.For`, `ModelSelection.Run`, `ReportFiles.Write`), default objective weights ({result.Weights}), took {run.Duration.TotalMinutes:F1} minutes. Calibration: the {run.CalibrationInputs:N0} test inputs of the int8 rows above (every {ZooSubjects.CalibrationStride}th); evaluation: the first {run.EvaluationInputs:N0} of the other inputs (disjoint from calibration). Latency: the selection's own measurement (median per input over the first 20 evaluation inputs, interleaved with the original), so it differs from the latency column above."));
        line("");
        line($"Full report: [{Path.GetFileName(run.MarkdownReportPath)}]({Path.GetFileName(run.MarkdownReportPath)}) and [{Path.GetFileName(run.HtmlReportPath)}]({Path.GetFileName(run.HtmlReportPath)}) (with the per-layer SQNR of the chosen model).");
        line("");
        line("| recipe | top-1 | latency ratio | size ratio | L | budget | chosen |");
        line("|---|--:|--:|--:|--:|---|---|");
        line($"| original (fp32) | {Percent(original.Accuracy)} | {Ratio(1, 1)} | {Ratio(1, 1)} | 0 | | |");
        foreach (var outcome in result.Outcomes)
        {
            var m = outcome.Measurement;
            var verdict = string.Join("; ", outcome.Verdicts.Select(v => v.Met ? $"met: {v.Measured}" : $"missed: {v.Miss}"));
            line($"| {outcome.Candidate.Name} | {Percent(m.Accuracy)} | {Ratio(m.LatencyMilliseconds, original.LatencyMilliseconds)} | {Ratio(m.StoredBytes, original.StoredBytes)} | {Number(outcome.Loss)} | {verdict} | {(outcome == result.Chosen ? "**yes**" : "")} |");
        }
        line("");
        line($"The choice, as the report gives it: {result.Explanation}");
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
