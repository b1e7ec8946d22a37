using System.Globalization;
using System.Net;
using System.Text;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Selection;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Compression.Reporting;

/// <summary>
/// The report as one self-contained HTML page (no scripts, no external files): the choice in words, an inline SVG
/// chart of stored size against accuracy with latency as the marker's size and label, and the tables.
/// </summary>
public static class HtmlReport
{
    private const int Width = 720, Height = 380, Margin = 70, RightMargin = 60;

    public static string Write(SelectionResult result)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>ModelBuild report: {Encode(result.ModelName)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}.chosen{background:#e6f4ea;font-weight:bold}.missed{color:#b00020}</style>");
        html.AppendLine("</head><body>");
        html.AppendLine($"<h1>ModelBuild report: {Encode(result.ModelName)}</h1>");
        html.AppendLine($"<p>{Encode(result.Explanation)}</p>");
        html.AppendLine($"<p>Accuracy is {Encode(AccuracyName(result.Original))}, on {result.Original.EvaluatedInputs} inputs. Markers are numbered as in the table below; marker area grows with latency per input; lower L is better.</p>");
        html.AppendLine($"<p>{Encode(result.MeasuredOnSentence())}</p>");
        if (result.Chosen.Folding.Folded)
            html.AppendLine($"<p>{Encode($"The model is a quantization-aware trained export: {result.Chosen.Folding}.")}</p>");
        html.AppendLine(Chart(result));

        var columns = string.Concat(AccuracyColumns.For(result.Original.Metric).Select(c => $"<th>{Encode(c.Header)}</th>"));
        html.AppendLine($"<h2>Candidates</h2><table><tr><th>#</th><th>model</th>{columns}<th>drop (points)</th><th>latency (ms)</th><th>latency ratio</th><th>stored (bytes)</th><th>size ratio</th><th>in memory (bytes)</th><th>L</th><th>budgets</th></tr>");
        html.AppendLine(Row("", result.Original, result.Original, "", "", ""));
        foreach (var (outcome, number) in result.Outcomes.Select((o, i) => (o, i + 1)))
        {
            var verdict = outcome.Verdicts.Count == 0 ? "none set" : outcome.MeetsBudgets ? "met" : "missed: " + string.Join("; ", outcome.Verdicts.Where(v => !v.Met).Select(v => v.Miss));
            html.AppendLine(Row(number.ToString(CultureInfo.InvariantCulture), outcome.Measurement, result.Original, Number(outcome.Loss), verdict, outcome == result.Chosen ? "chosen" : outcome.MeetsBudgets ? "" : "missed"));
        }
        html.AppendLine("</table>");

        if (result.Reference is not null)
        {
            html.AppendLine($"<h2>{Encode(ReferenceRows.Heading(result))}</h2><p>{Encode(ReferenceRows.Sentence(result))}</p>");
            html.AppendLine($"<table><tr>{string.Concat(ReferenceRows.Headers.Select(h => $"<th>{Encode(h)}</th>"))}</tr>");
            foreach (var row in ReferenceRows.For(result))
                html.AppendLine($"<tr><td>{Encode(row.Role)}</td><td>{Encode(row.Model)}</td><td>{row.Stored}</td><td>{row.SizeRatio}</td><td>{row.Latency}</td><td>{row.LatencyRatio}</td><td>{row.Accuracy}</td><td>{row.Drop}</td></tr>");
            html.AppendLine("</table>");
        }

        if (ClassRows.Applies(result))
        {
            html.AppendLine("<h2>Top-1 per class (drop from the original in points)</h2><table><tr><th>class</th><th>inputs</th>"
                + string.Concat(ClassRows.Headers(result).Select(h => $"<th>{Encode(h)}</th>")) + "</tr>");
            foreach (var row in ClassRows.For(result))
                html.AppendLine($"<tr><td>{Encode(row.Label)}</td><td>{row.Inputs}</td>{string.Concat(row.Cells.Select(c => $"<td>{Encode(c)}</td>"))}</tr>");
            html.AppendLine("</table>");
        }
        html.AppendLine($"<h2>Layers of {Encode(result.Chosen.Candidate.Name)}, worst first</h2><table><tr><th>layer</th><th>operator</th><th>output</th><th>SQNR</th></tr>");
        foreach (var layer in result.Layers)
            html.AppendLine($"<tr><td>{Encode(layer.NodeName)}</td><td>{Encode(layer.OperatorType)}</td><td>{Encode(layer.OutputName)}</td><td>{Sqnr(layer.SqnrDecibels)}</td></tr>");
        html.AppendLine("</table>");
        html.AppendLine($"<h2>{Encode(SparsityRows.Heading(result))}</h2><p>{Encode(SparsityRows.Verdict(result))}</p>");
        html.AppendLine("<table><tr><th>layer</th><th>operator</th><th>weights</th><th>zeros in the original</th><th>zeros in the chosen model</th></tr>");
        foreach (var row in SparsityRows.For(result))
            html.AppendLine($"<tr><td>{Encode(row.Layer)}</td><td>{Encode(row.Operator)}</td><td>{row.Weights}</td><td>{row.Original}</td><td>{row.Chosen}</td></tr>");
        html.AppendLine("</table>");
        var costs = LayerCostRows.For(result);
        if (costs.Count > 0)
        {
            html.AppendLine($"<h2>{Encode(LayerCostRows.Heading(result))}</h2>");
            html.AppendLine("<table><tr><th>layer</th><th>operator</th><th>MACs</th><th>MACs in the chosen model</th><th>parameters</th><th>parameters in the chosen model</th></tr>");
            foreach (var row in costs)
                html.AppendLine($"<tr><td>{Encode(row.Layer)}</td><td>{Encode(row.Operator)}</td><td>{row.OriginalMacs}</td><td>{row.ChosenMacs}</td><td>{row.OriginalParameters}</td><td>{row.ChosenParameters}</td></tr>");
            html.AppendLine("</table>");
        }
        foreach (var warning in result.Warnings)
            html.AppendLine($"<p class=\"missed\">{warning.Code}: {Encode(warning.Message)}</p>");
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static string Chart(SelectionResult result)
    {
        var culture = CultureInfo.InvariantCulture;
        // Markers carry the candidate's number from the table, not its name: candidates often share a size (every int8
        // variant does), and names that long would print over each other.
        var points = result.Outcomes.Select((o, i) => (o.Measurement, Label: (i + 1).ToString(culture), Chosen: o == result.Chosen))
            .Prepend((Measurement: result.Original, Label: "original", Chosen: false)).ToList();
        double maxSize = points.Max(p => p.Measurement.StoredBytes) * 1.1;
        var minAccuracy = Math.Max(0, points.Min(p => p.Measurement.Accuracy) - 0.02);
        var maxAccuracy = Math.Min(1, points.Max(p => p.Measurement.Accuracy) + 0.02);
        var accuracySpan = Math.Max(1e-6, maxAccuracy - minAccuracy);
        var maxLatency = Math.Max(1e-9, points.Max(p => p.Measurement.LatencyMilliseconds));
        double X(double bytes) => Margin + ((Width - Margin - RightMargin) * bytes / maxSize);
        double Y(double accuracy) => Height - Margin - ((Height - Margin - 20) * (accuracy - minAccuracy) / accuracySpan);

        var svg = new StringBuilder();
        svg.AppendLine(string.Create(culture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"stored size against accuracy\">"));
        svg.AppendLine(string.Create(culture, $"<line x1=\"{Margin}\" y1=\"{Height - Margin}\" x2=\"{Width - RightMargin}\" y2=\"{Height - Margin}\" stroke=\"#333\"/><line x1=\"{Margin}\" y1=\"20\" x2=\"{Margin}\" y2=\"{Height - Margin}\" stroke=\"#333\"/>"));
        for (var tick = 0; tick <= 4; tick++)
        {
            var bytes = maxSize * tick / 4;
            var accuracy = minAccuracy + (accuracySpan * tick / 4);
            svg.AppendLine(string.Create(culture, $"<text x=\"{X(bytes):0.#}\" y=\"{Height - Margin + 16}\" font-size=\"11\" text-anchor=\"middle\">{Bytes((long)bytes)}</text>"));
            svg.AppendLine(string.Create(culture, $"<text x=\"{Margin - 6}\" y=\"{Y(accuracy) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\">{accuracy:P1}</text>"));
        }
        svg.AppendLine(string.Create(culture, $"<text x=\"{Width / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">stored size (bytes)</text>"));
        svg.AppendLine(string.Create(culture, $"<text x=\"14\" y=\"{Height / 2}\" transform=\"rotate(-90 14 {Height / 2})\" text-anchor=\"middle\">{Encode(result.Original.Metric.ShortName())}</text>"));

        var placedLabels = new List<(double X, double Y)>();
        foreach (var (m, label, chosen) in points)
        {
            var (x, y) = (X(m.StoredBytes), Y(m.Accuracy));
            var radius = 4 + (14 * m.LatencyMilliseconds / maxLatency);
            var colour = label == "original" ? "#555" : chosen ? "#1e8e3e" : "#1a73e8";
            svg.AppendLine(string.Create(culture, $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"{radius:0.#}\" fill=\"{colour}\" fill-opacity=\"0.5\"><title>{Encode(m.Name)}: {m.StoredBytes:N0} bytes, {Percent(m.Accuracy)}, {Milliseconds(m.LatencyMilliseconds)} ms</title></circle>"));
            // Move a label down until it clears the labels already placed.
            var (labelX, labelY) = (x + radius + 3, y + 4);
            while (placedLabels.Any(p => Math.Abs(p.X - labelX) < 40 && Math.Abs(p.Y - labelY) < 12))
                labelY += 12;
            placedLabels.Add((labelX, labelY));
            svg.AppendLine(string.Create(culture, $"<text x=\"{labelX:0.#}\" y=\"{labelY:0.#}\" font-size=\"11\">{Encode(label)}</text>"));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Row(string number, ModelMeasurement m, ModelMeasurement original, string loss, string verdict, string rowClass) =>
        $"<tr{(rowClass.Length > 0 ? $" class=\"{rowClass}\"" : "")}><td>{number}</td><td>{Encode(m.Name)}</td>{string.Concat(AccuracyColumns.For(original.Metric).Select(c => $"<td>{c.Value(m)}</td>"))}<td>{Drop(m, original)}</td><td>{Milliseconds(m.LatencyMilliseconds)}</td><td>{Ratio(m.LatencyMilliseconds, original.LatencyMilliseconds)}</td><td>{Bytes(m.StoredBytes)}</td><td>{Ratio(m.StoredBytes, original.StoredBytes)}</td><td>{Bytes(m.MemoryBytes)}</td><td>{loss}</td><td>{Encode(verdict)}</td></tr>";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
