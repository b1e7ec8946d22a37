using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace ModelBuild.Benchmarks;

/// <summary>Writes RESULTS.md: the command, the machine, how each number was measured, then one row per variant.</summary>
public static class ResultsWriter
{
    public const string Command = "dotnet run -c Release --project tests/ModelBuild.Benchmarks";

    public static string Render(IReadOnlyList<VariantResult> results, DateTime startedUtc, TimeSpan duration, long runtimeOnlyPeakBytes, string loadAtStart)
    {
        var text = new StringBuilder();
        var line = (string value) => text.Append(value).Append('\n');
        line("# ModelBuild benchmarks");
        line("");
        line(Invariant($"Produced by `{Command}`, started {startedUtc:yyyy-MM-dd HH:mm} UTC, took {duration.TotalMinutes:F1} minutes."));
        line("");
        line(Invariant($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, {RuntimeInformation.FrameworkDescription}, ONNX Runtime {OrtEnv.Instance().GetVersionString()} (CPU execution provider, 1 intra-op thread, batch 1)."));
        line("");
        line(Invariant($"Load average (1, 5, 15 min) at the start: {loadAtStart}; at the end: {LoadAverage.Read()}. Other work on the machine slows every variant; the interleaving keeps the latency ratios fair, not the absolute times."));
        line("");
        line("How the columns are measured:");
        line("- **stored**: bytes of the model as ModelBuild would embed it; **ratio** to the original file.");
        line("- **accuracy**: over the whole labeled set with the zoo README's preprocessing; **agreement**: the fraction of inputs on which the variant predicts what `none` (fp32) predicts (for the OCR recognizer: the same decoded text).");
        line("- **latency**: median time of one run (batch 1) over 5 rounds on up to 100 inputs spread over the labeled set, after one warm-up round; the three variants of a model are interleaved input by input; **ratio** to `none` measured in the same loop.");
        line("- **session start**: median of 5 `InferenceSession` creations from the bytes (the ONNX Runtime environment already exists), interleaved across the variants.");
        line(Invariant($"- **peak memory**: peak working set of a fresh child process (this program with `{MemoryProbe.Argument}`) that creates the session and runs one input; a child that only starts .NET and the ONNX Runtime environment peaks at {Megabytes(runtimeOnlyPeakBytes)}."));
        line("");
        line("| model | recipe | stored bytes | ratio | accuracy | agreement | latency / input | ratio | session start | peak memory | warnings |");
        line("|---|---|--:|--:|---|--:|--:|--:|--:|--:|---|");
        foreach (var result in results)
        {
            line(Invariant(
                $"| {result.Model} | {result.Recipe} | {result.StoredBytes:N0} | {result.SizeRatio:F3} | {result.Accuracy.Summary} | {result.AgreementWithFp32 * 100:F2}% | {result.LatencyPerInput.TotalMilliseconds:F3} ms | {result.LatencyRatio:F2} | {result.SessionStart.TotalMilliseconds:F1} ms | {Megabytes(result.PeakWorkingSetBytes)} | {(result.Warnings.Length == 0 ? "-" : result.Warnings)} |"));
        }
        line("");
        line("fp16 forms: the `fp16` recipe stores float16 weights and widens them with `Cast` nodes that ONNX Runtime folds at session start, so it runs float32 kernels. No pure float16 graph is produced by the recipes, so there is no row comparing the two.");
        return text.ToString();
    }

    private static string Megabytes(long bytes) => Invariant($"{bytes / (1024.0 * 1024.0):F1} MiB");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
