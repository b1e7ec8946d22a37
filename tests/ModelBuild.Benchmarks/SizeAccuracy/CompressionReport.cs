using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>COMPRESSION.md (the tables) and COMPRESSION.html (the size-accuracy curve of each model as an SVG chart).</summary>
public static class CompressionReport
{
    public const string Command = "dotnet run -c Release --project tests/ModelBuild.Benchmarks -- --compression";

    /// <summary>The peers' figures issue 11 quotes: published, not measured here.</summary>
    private static readonly string[] PublishedFigures =
    [
        "| Deep Compression (Han et al. 2016): pruning + k-means weight sharing + Huffman, **with retraining** | AlexNet 35x, VGG-16 49x, LeNet 39-40x, no accuracy lost |",
        "| AdaRound / BRECQ / OBQ: post-training 4-bit weights with data-aware rounding, no retraining | about 8x (4-bit weights) at <= 1 point top-1 on ResNet-50; AIMET's 4-bit ResNet-50 loses 0.51 points |",
        "| coremltools: post-training 4-bit k-means palettization, no retraining | ResNet-50 loses about 9 points top-1 (coremltools' own docs) |",
    ];

    public static string Markdown(IReadOnlyList<CompressionModelResult> results, DateTime startedUtc, TimeSpan duration, string loadAtStart)
    {
        var text = new StringBuilder();
        void Line(string value) => text.Append(value).Append('\n');
        Line("# ModelBuild compression: size against accuracy (issue 11)");
        Line("");
        Line(Invariant($"Produced by `{Command}`, started {startedUtc:yyyy-MM-dd HH:mm} UTC, took {duration.TotalMinutes:F1} minutes."));
        Line("");
        Line(Invariant($"Machine: {Runtime.Cpu.InstructionSet.Current.Describe()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, ONNX Runtime {OrtEnv.Instance().GetVersionString()} (CPU execution provider, 1 intra-op thread, batch 1). Load average (1, 5, 15 min) at the start: {loadAtStart}; at the end: {LoadAverage.Read()}."));
        Line("");
        Line("How the columns are measured:");
        Line("- **stored**: bytes of what the build embeds (the ModelBuild container for a `+huffman` recipe); **ratio**: the original file's bytes over them.");
        Line(Invariant($"- **accuracy**: top-1 on the labeled set without its calibration inputs (every {ZooSubjects.CalibrationStride}th labeled input calibrates `int8` and nothing else, so calibration and scoring are disjoint); for the OCR recognizer the case-insensitive character error rate on the zoo's 10 word crops, which also calibrate (there are no others). **drop**: points lost against `none` (fp32) in the same run (CER: points gained)."));
        Line("- **latency**: median time per input (batch 1; up to 100 inputs spread over the scored set, 3 rounds after a warm-up), all rows of a model interleaved input by input; the ratio to `none`. Sessions run the decoded ONNX model with ONNX Runtime's default int8 kernels.");
        Line($"- **compress CPU s**: CPU seconds of the compression in this process (all threads). **cost**: `{CompressionBenchmark.CostRecipe}` compressed in a fresh child process (`{CompressionCostProbe.Argument}`): its CPU seconds (loading the model and data included) and peak working set.");
        Line("- A recipe whose step does not exist on this branch is listed as skipped (see `CompressionBenchmark.Recipes`).");
        Line("");
        Line("## Goals (issue 11 item 5: at most one point lost)");
        Line("");
        Line("| model | original bytes | goal | best ratio within 1 point | its recipe | its drop | met | cost: CPU s | cost: peak working set |");
        Line("|---|--:|--:|--:|---|--:|---|--:|--:|");
        foreach (var model in results)
        {
            var best = model.BestWithinOnePoint;
            var m = best?.Measurement;
            Line(Invariant($"| {model.Model} | {model.OriginalBytes:N0} | >= {model.GoalRatio:0}x | {(m is null ? "-" : $"{m.Ratio:F1}x")} | {best?.Recipe ?? "-"} | {(m is null ? "-" : Points(m.Accuracy.DropFrom(model.Reference)))} | {(m is not null && m.Ratio >= model.GoalRatio ? "yes" : "no")} | {model.Cost.CpuSeconds:F1} | {model.Cost.PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MiB |"));
        }
        Line("");
        foreach (var model in results.Where(m => m.AutoCost is not null))
        {
            var auto = model.AutoCost!;
            Line(Invariant($"`auto` on {model.Model} (issue 11 item 6: at most 600 CPU seconds and 2 GB on 2 cores), the whole search in a fresh child process as the CLI runs it (every 20th labeled input calibrates, the other {model.Rows[0].Measurement!.Accuracy.Predictions.Count:N0} evaluate, budget 1 point): {auto.CpuSeconds:F1} CPU seconds, peak working set {auto.PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MiB, {auto.Candidates} candidates measured, chose {auto.Chosen}."));
            Line("");
        }
        Line("## Every step combination");
        Line("");
        Line("| model | recipe | stored bytes | ratio | accuracy | drop (points) | latency / fp32 | compress CPU s | notes |");
        Line("|---|---|--:|--:|--:|--:|--:|--:|---|");
        foreach (var model in results)
        {
            foreach (var row in model.Rows)
            {
                Line(row.Measurement is { } m
                    ? Invariant($"| {model.Model} | {row.Recipe} | {m.StoredBytes:N0} | {m.Ratio:F2}x | {Score(m.Accuracy)} | {Points(m.Accuracy.DropFrom(model.Reference))} | {m.Latency:F2} | {m.CpuSeconds:F1} | {(row.Note.Length == 0 ? "-" : row.Note)} |")
                    : $"| {model.Model} | {row.Recipe} | - | - | - | - | - | - | {row.Note} |");
            }
        }
        Line("");
        Line("## Size-accuracy curve per model (measured rows by ratio; chart: COMPRESSION.html)");
        foreach (var model in results)
        {
            Line("");
            Line($"{model.Model}: ");
            Line("");
            Line("| ratio | drop (points) | recipe |");
            Line("|--:|--:|---|");
            foreach (var row in Curve(model))
                Line(Invariant($"| {row.Measurement!.Ratio:F2}x | {Points(row.Measurement.Accuracy.DropFrom(model.Reference))} | {row.Recipe} |"));
        }
        Line("");
        Line("## Published figures of peers (quoted by issue 11; published, not measured here)");
        Line("");
        Line("| method | published result |");
        Line("|---|---|");
        foreach (var figure in PublishedFigures) Line(figure);
        return text.ToString();
    }

    /// <summary>One SVG per model: drop in points against ratio (log scale), each measured row a labelled point.</summary>
    public static string Html(IReadOnlyList<CompressionModelResult> results)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ModelBuild compression: size against accuracy</title>\n");
        html.Append("<style>body{font-family:sans-serif;margin:2em}svg{border:1px solid #ccc;margin:0 1em 2em 0}text{font-size:11px}</style></head><body>\n");
        html.Append("<h1>Size against accuracy (issue 11)</h1>\n<p>Made with COMPRESSION.md by <code>").Append(WebUtility.HtmlEncode(Command)).Append("</code>. Each point is a step combination; the dashed lines are the goal ratio and a drop of one point.</p>\n");
        foreach (var model in results)
        {
            const double width = 640, height = 360, left = 60, right = 20, top = 30, bottom = 40;
            var points = Curve(model).Select(row => (row.Recipe, Ratio: row.Measurement!.Ratio, Drop: row.Measurement.Accuracy.DropFrom(model.Reference))).ToList();
            var maxRatio = Math.Max(model.GoalRatio * 1.5, points.Max(p => p.Ratio) * 1.2);
            var minDrop = Math.Min(-0.5, points.Min(p => p.Drop));
            var maxDrop = Math.Max(2, Math.Min(20, points.Max(p => p.Drop)) + 0.5);
            double X(double ratio) => left + (Math.Log(Math.Max(ratio, 0.5)) - Math.Log(0.5)) / (Math.Log(maxRatio) - Math.Log(0.5)) * (width - left - right);
            double Y(double drop) => top + (Math.Min(drop, maxDrop) - minDrop) / (maxDrop - minDrop) * (height - top - bottom);
            html.Append(Invariant($"<h2>{WebUtility.HtmlEncode(model.Model)}</h2>\n<svg width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\n"));
            html.Append(Invariant($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"black\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"black\"/>\n"));
            html.Append(Invariant($"<text x=\"{width / 2}\" y=\"{height - 8}\">ratio (log scale)</text><text x=\"4\" y=\"{top - 10}\">drop (points; down is worse)</text>\n"));
            foreach (var tick in new[] { 1.0, 2, 4, 8, 16, 32, 64 }.Where(t => t <= maxRatio))
                html.Append(Invariant($"<text x=\"{X(tick) - 6:F1}\" y=\"{height - bottom + 14}\">{tick}x</text>\n"));
            foreach (var tick in new[] { 0.0, 1, 2, 5, 10, 20 }.Where(t => t <= maxDrop))
                html.Append(Invariant($"<text x=\"{left - 30}\" y=\"{Y(tick) + 4:F1}\">{tick}</text>\n"));
            html.Append(Invariant($"<line x1=\"{X(model.GoalRatio):F1}\" y1=\"{top}\" x2=\"{X(model.GoalRatio):F1}\" y2=\"{height - bottom}\" stroke=\"green\" stroke-dasharray=\"4\"/>\n"));
            html.Append(Invariant($"<line x1=\"{left}\" y1=\"{Y(1):F1}\" x2=\"{width - right}\" y2=\"{Y(1):F1}\" stroke=\"red\" stroke-dasharray=\"4\"/>\n"));
            html.Append("<polyline fill=\"none\" stroke=\"#36c\" points=\"")
                .Append(string.Join(" ", points.Select(p => Invariant($"{X(p.Ratio):F1},{Y(p.Drop):F1}")))).Append("\"/>\n");
            foreach (var p in points)
            {
                html.Append(Invariant($"<circle cx=\"{X(p.Ratio):F1}\" cy=\"{Y(p.Drop):F1}\" r=\"3\" fill=\"#36c\"><title>{WebUtility.HtmlEncode(p.Recipe)}: {p.Ratio:F2}x, drop {p.Drop:F2}</title></circle>"));
                html.Append(Invariant($"<text x=\"{X(p.Ratio) + 4:F1}\" y=\"{Y(p.Drop) - 4:F1}\" transform=\"rotate(-20 {X(p.Ratio) + 4:F1} {Y(p.Drop) - 4:F1})\">{WebUtility.HtmlEncode(p.Recipe)}</text>\n"));
            }
            html.Append("</svg>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static IEnumerable<CompressionRow> Curve(CompressionModelResult model) =>
        model.Rows.Where(row => row.Measurement is not null).OrderBy(row => row.Measurement!.Ratio);

    private static string Score(AccuracyMeasurement accuracy) =>
        Invariant($"{(accuracy.LowerIsBetter ? "CER " : "top-1 ")}{accuracy.Points:F2}%");

    private static string Points(double drop) => drop.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
