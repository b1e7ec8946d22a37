using ModelBuild.Compression.Selection;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Cli.Reporting;

/// <summary>The candidate table and the choice as progress lines, so the build log shows what the report shows.</summary>
public static class SelectionText
{
    public static void Write(ConsoleReporter reporter, string modelPath, SelectionResult result)
    {
        var original = result.Original;
        reporter.Progress(modelPath, $"{"model",-40} {"accuracy",9} {"latency ms",11} {"stored bytes",13} {"L",8}");
        reporter.Progress(modelPath, $"{"original",-40} {Percent(original.Accuracy),9} {Milliseconds(original.LatencyMilliseconds),11} {Bytes(original.StoredBytes),13} {"",8}");
        foreach (var outcome in result.Outcomes)
        {
            var m = outcome.Measurement;
            var mark = outcome == result.Chosen ? " <- chosen" : outcome.MeetsBudgets ? "" : " (misses a budget)";
            reporter.Progress(modelPath, $"{m.Name,-40} {Percent(m.Accuracy),9} {Milliseconds(m.LatencyMilliseconds),11} {Bytes(m.StoredBytes),13} {Number(outcome.Loss),8}{mark}");
        }
        reporter.Progress(modelPath, result.Explanation);
    }
}
