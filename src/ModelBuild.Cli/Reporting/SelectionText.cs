using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Reporting;
using ModelBuild.Compression.Selection;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Cli.Reporting;

/// <summary>The candidate table and the choice as progress lines, so the build log shows what the report shows.</summary>
public static class SelectionText
{
    public static void Write(ConsoleReporter reporter, string modelPath, SelectionResult result)
    {
        var original = result.Original;
        // The accuracy column is named after the metric ("top-1", "character accuracy"...) and as wide as its name.
        var metric = original.Metric.ShortName();
        var width = Math.Max(9, metric.Length);
        reporter.Progress(modelPath, $"{"model",-40} {metric.PadLeft(width)} {"latency ms",11} {"stored bytes",13} {"L",8}");
        reporter.Progress(modelPath, $"{"original",-40} {Percent(original.Accuracy).PadLeft(width)} {Milliseconds(original.LatencyMilliseconds),11} {Bytes(original.StoredBytes),13} {"",8}");
        foreach (var outcome in result.Outcomes)
        {
            var m = outcome.Measurement;
            var mark = outcome == result.Chosen ? " <- chosen" : outcome.MeetsBudgets ? "" : " (misses a budget)";
            reporter.Progress(modelPath, $"{m.Name,-40} {Percent(m.Accuracy).PadLeft(width)} {Milliseconds(m.LatencyMilliseconds),11} {Bytes(m.StoredBytes),13} {Number(outcome.Loss),8}{mark}");
        }
        foreach (var row in ReferenceRows.For(result))
            reporter.Progress(modelPath, $"{row.Role}: {row.Model}: {row.Stored} bytes ({row.SizeRatio} of the teacher), {row.Latency} ms ({row.LatencyRatio}), {row.Accuracy} ({row.Drop})");
        reporter.Progress(modelPath, result.Explanation);
    }
}
