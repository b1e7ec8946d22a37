using System.Globalization;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// What the measurement of the chosen model says that the user must not miss even without a budget: figures taken
/// on another kind of CPU than the target (MB2004), a model slower than the original (MB2005), and an accuracy loss
/// of more than a point (MB2006).
/// </summary>
public static class MeasurementWarnings
{

    /// <summary>Latency noise on a shared machine reaches a few percent; slower means beyond this ratio...</summary>
    public const double SlowerRatio = 1.05;

    /// <summary>...and by more than this many milliseconds per input: below it, a tiny model's ratio is timer noise.</summary>
    public const double SlowerMilliseconds = 0.005;

    /// <summary>A loss the build reports without a budget (a fraction: one point).</summary>
    public const double UnbudgetedAccuracyLoss = 0.01;

    public static IReadOnlyList<CompressionWarning> For(SelectionResult result, SelectionRequest request, InstructionSet machine)
    {
        var culture = CultureInfo.InvariantCulture;
        var warnings = new List<CompressionWarning>();
        var target = request.Settings.Target;
        var chosen = result.Chosen.Measurement;
        if (!TargetCpus.Matches(target, machine) && result.Chosen.Scheme is not null)
        {
            warnings.Add(new CompressionWarning(DiagnosticCodes.TargetIsNotThisMachine,
                $"the target CPU is '{TargetCpus.Name(target)}' but this machine is {machine.Describe()}: the accuracy and latency measured here are this machine's (integer results computed exactly, as the target computes them; latency not the target's). Build on a {TargetCpus.Name(target)} machine, or use TargetCpu=\"portable\", to measure what ships"));
        }
        var ratio = result.Original.LatencyMilliseconds > 0 ? chosen.LatencyMilliseconds / result.Original.LatencyMilliseconds : 1;
        if (ratio > SlowerRatio && chosen.LatencyMilliseconds - result.Original.LatencyMilliseconds > SlowerMilliseconds)
        {
            warnings.Add(new CompressionWarning(DiagnosticCodes.SlowerThanOriginal, string.Create(culture,
                $"{result.Chosen.Candidate.Name} runs slower than the original on this machine ({machine.Describe()}): {chosen.LatencyMilliseconds:0.###} ms against {result.Original.LatencyMilliseconds:0.###} ms per input ({ratio:0.00}x). It is smaller, not faster; set MaxLatencyRatio to make speed a budget, or try another recipe")));
        }
        var drop = result.Original.Accuracy - chosen.Accuracy;
        if (request.Budget.MaxAccuracyDrop is null && drop > UnbudgetedAccuracyLoss)
        {
            var worst = result.Layers.Where(l => !double.IsPositiveInfinity(l.SqnrDecibels)).Take(3).ToList();
            var layers = worst.Count == 0 ? "no single layer stands out" :
                $"the worst layers by SQNR are {string.Join(", ", worst.Select(l => string.Create(culture, $"{l.NodeName} ({l.OperatorType}, {l.SqnrDecibels:0.0} dB)")))}; ExcludeNodes=\"{string.Join(";", worst.Select(l => l.NodeName))}\" leaves them as they are (not quantized, pruned or clustered)";
            warnings.Add(new CompressionWarning(DiagnosticCodes.AccuracyLoss, string.Create(culture,
                $"{result.Chosen.Candidate.Name} loses {drop * 100:0.00} points of {chosen.Metric.ShortName()} ({result.Original.Accuracy:P2} -> {chosen.Accuracy:P2}) and no MaxAccuracyDrop is set; {layers}. Set MaxAccuracyDrop to make this a budget")));
        }
        return warnings;
    }
}
