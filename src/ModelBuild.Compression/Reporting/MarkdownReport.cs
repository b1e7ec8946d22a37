using System.Text;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Selection;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Compression.Reporting;

/// <summary>The report as Markdown: the choice in words, the candidate table (the paper's columns), budgets, layers.</summary>
public static class MarkdownReport
{
    public static string Write(SelectionResult result)
    {
        var text = new StringBuilder();
        var original = result.Original;
        text.AppendLine($"{TitlePrefix}{result.ModelName}").AppendLine();
        text.AppendLine(result.Explanation).AppendLine();
        text.AppendLine($"Accuracy is {AccuracyName(original)}, on {original.EvaluatedInputs} inputs. Latency is the median per input (batch 1, one thread), measured interleaved with the original. " +
            $"L = {Number(result.Weights.Size)}·(S−S0)/S0 + {Number(result.Weights.Latency)}·(T−T0)/T0 + {Number(result.Weights.Accuracy)}·(A0−A)/A0; lower is better.").AppendLine();
        text.AppendLine(result.MeasuredOnSentence()).AppendLine();
        if (result.Chosen.Folding.Folded)
            text.AppendLine($"The model is a quantization-aware trained export: {result.Chosen.Folding}.").AppendLine();

        var columns = AccuracyColumns.For(original.Metric);
        text.AppendLine($"| model | {string.Join(" | ", columns.Select(c => c.Header))} | drop (points) | latency (ms) | latency ratio | stored (bytes) | size ratio | in memory (bytes) | L | budgets | chosen |");
        text.AppendLine(string.Concat(Enumerable.Repeat("|---", columns.Count + 10)) + "|");
        text.AppendLine(Row(original, original, "", "", ""));
        foreach (var outcome in result.Outcomes)
        {
            var verdict = outcome.Verdicts.Count == 0 ? "none set" : outcome.MeetsBudgets ? "met" : "missed: " + string.Join("; ", outcome.Verdicts.Where(v => !v.Met).Select(v => v.Budget));
            text.AppendLine(Row(outcome.Measurement, original, Number(outcome.Loss), verdict, outcome == result.Chosen ? "**yes**" : ""));
        }

        if (result.Reference is not null)
        {
            text.AppendLine().AppendLine($"## {ReferenceRows.Heading(result)}").AppendLine();
            text.AppendLine(ReferenceRows.Sentence(result)).AppendLine();
            text.AppendLine($"| {string.Join(" | ", ReferenceRows.Headers)} |").AppendLine(string.Concat(Enumerable.Repeat("|---", ReferenceRows.Headers.Count)) + "|");
            foreach (var row in ReferenceRows.For(result))
                text.AppendLine($"| {row.Role} | {row.Model} | {row.Stored} | {row.SizeRatio} | {row.Latency} | {row.LatencyRatio} | {row.Accuracy} | {row.Drop} |");
        }

        if (result.Chosen.Verdicts.Count > 0)
        {
            text.AppendLine().AppendLine($"## Budgets ({result.Chosen.Candidate.Name})").AppendLine();
            text.AppendLine("| budget | limit | measured | verdict |").AppendLine("|---|---|---|---|");
            foreach (var verdict in result.Chosen.Verdicts)
                text.AppendLine($"| {verdict.Budget} | {verdict.Limit} | {verdict.Measured} | {(verdict.Met ? "met" : "missed: " + verdict.Miss)} |");
        }

        if (ClassRows.Applies(result))
        {
            var headers = ClassRows.Headers(result);
            text.AppendLine().AppendLine("## Top-1 per class (drop from the original in points)").AppendLine();
            text.AppendLine($"| class | inputs | {string.Join(" | ", headers)} |").AppendLine(string.Concat(Enumerable.Repeat("|---", headers.Count + 2)) + "|");
            foreach (var row in ClassRows.For(result))
                text.AppendLine($"| {row.Label} | {row.Inputs} | {string.Join(" | ", row.Cells)} |");
        }

        text.AppendLine().AppendLine($"## Layers of {result.Chosen.Candidate.Name}, worst first (SQNR against the float model)").AppendLine();
        if (result.Layers.Count == 0)
            text.AppendLine("No Conv, Gemm or MatMul layer output could be compared.");
        else
        {
            text.AppendLine("| layer | operator | output | SQNR |").AppendLine("|---|---|---|---|");
            foreach (var layer in result.Layers)
                text.AppendLine($"| {layer.NodeName} | {layer.OperatorType} | {layer.OutputName} | {Sqnr(layer.SqnrDecibels)} |");
        }

        text.AppendLine().AppendLine($"## {SparsityRows.Heading(result)}").AppendLine();
        text.AppendLine(SparsityRows.Verdict(result)).AppendLine();
        text.AppendLine("| layer | operator | weights | zeros in the original | zeros in the chosen model |").AppendLine("|---|---|---|---|---|");
        foreach (var row in SparsityRows.For(result))
            text.AppendLine($"| {row.Layer} | {row.Operator} | {row.Weights} | {row.Original} | {row.Chosen} |");

        var costs = LayerCostRows.For(result);
        if (costs.Count > 0)
        {
            text.AppendLine().AppendLine($"## {LayerCostRows.Heading(result)}").AppendLine();
            text.AppendLine("| layer | operator | MACs | MACs in the chosen model | parameters | parameters in the chosen model |").AppendLine("|---|---|--:|--:|--:|--:|");
            foreach (var row in costs)
                text.AppendLine($"| {row.Layer} | {row.Operator} | {row.OriginalMacs} | {row.ChosenMacs} | {row.OriginalParameters} | {row.ChosenParameters} |");
        }

        if (result.Warnings.Count > 0)
        {
            text.AppendLine().AppendLine("## Warnings").AppendLine();
            foreach (var warning in result.Warnings)
                text.AppendLine($"- {warning.Code}: {warning.Message}");
        }
        return text.ToString();
    }

    private static string Row(ModelMeasurement m, ModelMeasurement original, string loss, string verdict, string chosen) =>
        $"| {m.Name} | {string.Join(" | ", AccuracyColumns.For(original.Metric).Select(c => c.Value(m)))} | {Drop(m, original)} | {Milliseconds(m.LatencyMilliseconds)} | {Ratio(m.LatencyMilliseconds, original.LatencyMilliseconds)} | {Bytes(m.StoredBytes)} | {Ratio(m.StoredBytes, original.StoredBytes)} | {Bytes(m.MemoryBytes)} | {loss} | {verdict} | {chosen} |";
}
