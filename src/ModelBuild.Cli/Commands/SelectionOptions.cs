using System.CommandLine;
using ModelBuild.Compression;
using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Cli.Commands;

/// <summary>The <c>compress</c> options for static int8, budgets, the objective's weights and the report.</summary>
public sealed class SelectionOptions
{
    public Option<string?> CalibrationMethod { get; } = new("--calibration-method") { Description = "int8 calibration: minmax (default), percentile or entropy." };

    public Option<string?> ExcludeNodes { get; } = new("--exclude-nodes") { Description = "Node names kept in float by int8, ';'-separated." };

    public Option<string?> ExcludeOps { get; } = new("--exclude-ops") { Description = "Operator types kept in float by int8, ';'-separated (e.g. Gemm)." };

    public Option<string?> MaxAccuracyDrop { get; } = new("--max-accuracy-drop") { Description = "\"1%\" (relative to the original) or \"0.5\" / \"0.5pt\" (points)." };

    public Option<string?> MaxSize { get; } = new("--max-size") { Description = "Stored size limit: bytes, or KB / MB / GB (powers of 1024)." };

    public Option<string?> MaxLatencyRatio { get; } = new("--max-latency-ratio") { Description = "Latency per input over the original's, e.g. 0.8." };

    public Option<string?> ObjectiveWeights { get; } = new("--objective-weights") { Description = "Weights of L's terms: size=1,latency=1,accuracy=1." };

    public Option<string?> Report { get; } = new("--report") { Description = "Write the report here (Markdown) and beside it as .html." };

    public Option<string?> TargetCpu { get; } = new("--target-cpu") { Description = $"The CPUs the model is for: {string.Join(", ", TargetCpus.Names)} (default portable: the same integer results on every CPU)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { CalibrationMethod, ExcludeNodes, ExcludeOps, MaxAccuracyDrop, MaxSize, MaxLatencyRatio, ObjectiveWeights, Report, TargetCpu })
            command.Add(option);
    }

    public Budget Budget(ParseResult parse, string modelPath) =>
        BudgetParser.Parse(parse.GetValue(MaxAccuracyDrop), parse.GetValue(MaxSize), parse.GetValue(MaxLatencyRatio), modelPath);

    public ObjectiveWeights Weights(ParseResult parse, string modelPath) =>
        Compression.Selection.ObjectiveWeights.Parse(parse.GetValue(ObjectiveWeights), modelPath);

    public StaticQuantizationOptions Int8(ParseResult parse, string modelPath)
    {
        var method = parse.GetValue(CalibrationMethod)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "minmax" => Compression.Calibration.CalibrationMethod.MinMax,
            "percentile" => Compression.Calibration.CalibrationMethod.Percentile,
            "entropy" => Compression.Calibration.CalibrationMethod.Entropy,
            var other => throw new CompressionException(DiagnosticCodes.MalformedOption, modelPath,
                $"unknown calibration method '{other}': expected minmax, percentile or entropy", isCommandLineProblem: true),
        };
        return new StaticQuantizationOptions
        {
            CalibrationMethod = method,
            ExcludeNodes = Names(parse.GetValue(ExcludeNodes)),
            ExcludeOps = Names(parse.GetValue(ExcludeOps)),
        };
    }

    /// <summary><c>native</c> is this machine's target; MB1015 for a name that is none of <see cref="TargetCpus.Names"/>.</summary>
    public Compression.Targets.TargetCpu Target(ParseResult parse, string modelPath)
    {
        var text = parse.GetValue(TargetCpu);
        if (string.IsNullOrWhiteSpace(text))
            return Compression.Targets.TargetCpu.Portable;
        if (TargetCpus.TryParse(text, InstructionSet.Current, out var target))
            return target;
        throw new CompressionException(DiagnosticCodes.MalformedOption, modelPath,
            $"unknown target CPU '{text.Trim()}': expected one of {string.Join(", ", TargetCpus.Names)}", isCommandLineProblem: true);
    }

    private static HashSet<string> Names(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
