using System.CommandLine;
using ModelBuild.Compression;
using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Contracts.Options;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Cli.Commands;

/// <summary>The <c>compress</c> values for static int8, budgets, the objective's weights and the target, and its report option.</summary>
public sealed class SelectionOptions
{
    private readonly ItemOptionSwitches _switches;

    public SelectionOptions(ItemOptionSwitches switches) => _switches = switches;

    public Option<string?> Report { get; } = new("--report") { Description = "Write the report here (Markdown) and beside it as .html." };

    public Budget Budget(ParseResult parse, string modelPath) =>
        BudgetParser.Parse(_switches.Text(parse, ItemOptions.MaxAccuracyDrop), _switches.Text(parse, ItemOptions.MaxSize), _switches.Text(parse, ItemOptions.MaxLatencyRatio), modelPath);

    public ObjectiveWeights Weights(ParseResult parse, string modelPath) =>
        Compression.Selection.ObjectiveWeights.Parse(_switches.Text(parse, ItemOptions.ObjectiveWeights), modelPath);

    public StaticQuantizationOptions Int8(ParseResult parse, string modelPath)
    {
        var method = _switches.Text(parse, ItemOptions.CalibrationMethod)?.Trim().ToLowerInvariant() switch
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
            ExcludeNodes = Names(_switches.Text(parse, ItemOptions.ExcludeNodes)),
            ExcludeOps = Names(_switches.Text(parse, ItemOptions.ExcludeOps)),
        };
    }

    /// <summary><c>native</c> is this machine's target; MB1015 for a name that is none of <see cref="TargetCpus.Names"/>.</summary>
    public Compression.Targets.TargetCpu Target(ParseResult parse, string modelPath)
    {
        var text = _switches.Text(parse, ItemOptions.TargetCpu);
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
