using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Contracts.Recipes;

namespace ModelBuild.Tasks.Resolution;

/// <summary>
/// The data, int8, budget and objective metadata of one <c>OnnxModel</c> item (docs/internals.md): checked where
/// the task can (counts, calibration method, data a recipe needs), handed to the CLI as they are otherwise (budget,
/// preprocessing and weight strings: the CLI reports those canonically, MB1015).
/// </summary>
internal sealed class CompressionOptions
{
    /// <summary>Metadata passed to the CLI unchanged, each matching the CLI option of the same name in kebab case.</summary>
    public static readonly string[] PassedThrough =
    {
        "CalibrationCount", "CalibrationMethod", "ExcludeNodes", "ExcludeOps", "EvaluationCount", "Preprocessing",
        "LatencyRounds", "MaxAccuracyDrop", "MaxSize", "MaxLatencyRatio", "ObjectiveWeights", "TargetCpu",
    };

    /// <summary>The CLI's <c>--target-cpu</c> names.</summary>
    public static readonly IReadOnlyList<string> TargetCpus = ModelBuild.Contracts.Description.TargetCpuNames.All;

    private static readonly string[] Counts = { "CalibrationCount", "EvaluationCount", "LatencyRounds" };
    private static readonly string[] Budgets = { "MaxAccuracyDrop", "MaxSize", "MaxLatencyRatio" };
    private static readonly string[] CalibrationMethods = { "minmax", "percentile", "entropy" };

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private CompressionOptions(DataSpec calibration, DataSpec evaluation, DataSpec charset)
    {
        Calibration = calibration;
        Evaluation = evaluation;
        Charset = charset;
    }

    public DataSpec Calibration { get; }

    public DataSpec Evaluation { get; }

    /// <summary>A CTC recognizer's dictionary file, made absolute like the data paths; the CLI reports a missing one (MB1012).</summary>
    public DataSpec Charset { get; }

    /// <summary>Reads the item's options; logs each problem through <paramref name="logError"/> and returns null if any.</summary>
    public static CompressionOptions? Read(ITaskItem model, Recipe recipe, string projectDirectory, string defaultTargetCpu, Action<string, string> logError)
    {
        var options = new CompressionOptions(
            DataSpec.Parse(model.GetMetadata("CalibrationData"), projectDirectory),
            DataSpec.Parse(model.GetMetadata("EvaluationData"), projectDirectory),
            DataSpec.Parse(model.GetMetadata("Charset"), projectDirectory));
        foreach (var name in PassedThrough)
            options._values[name] = model.GetMetadata(name).Trim();
        if (options._values["TargetCpu"].Length == 0)
            options._values["TargetCpu"] = defaultTargetCpu.Trim();
        options._values["TargetCpu"] = options._values["TargetCpu"].ToLowerInvariant();

        var valid = true;
        void Fail(string code, string message)
        {
            logError(code, $"OnnxModel '{model.ItemSpec}': {message}");
            valid = false;
        }

        foreach (var name in Counts)
        {
            var value = options._values[name];
            if (value.Length > 0 && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0))
                Fail(DiagnosticCodes.MalformedOption, $"{name} '{value}' is not a count. Expected a whole number greater than 0, such as 500.");
        }
        var target = options._values["TargetCpu"];
        if (target.Length > 0 && !TargetCpus.Contains(target))
            Fail(DiagnosticCodes.MalformedOption, $"unknown TargetCpu '{target}'. Expected one of: {string.Join(", ", TargetCpus)}.");
        var method = options._values["CalibrationMethod"];
        if (method.Length > 0 && !CalibrationMethods.Contains(method.ToLowerInvariant()))
            Fail(DiagnosticCodes.MalformedOption, $"unknown CalibrationMethod '{method}'. Expected one of: {string.Join(", ", CalibrationMethods)}.");
        if (recipe.NeedsCalibrationData && options.Calibration.IsEmpty)
            Fail(DiagnosticCodes.DataRequired, DataRequiredMessages.CalibrationData(recipe.Text) + ".");
        if (options.Evaluation.IsEmpty && (recipe.NeedsEvaluationData || Budgets.Any(name => options._values[name].Length > 0)))
            Fail(DiagnosticCodes.DataRequired, DataRequiredMessages.EvaluationData() + ".");
        return valid ? options : null;
    }

    /// <summary>The option's value ("" when not set).</summary>
    public string this[string name] => _values[name];

    /// <summary>A fingerprint of the data file list: adding or removing a file changes it, while edits show in the files' times.</summary>
    public static string DataFileListHash(IEnumerable<string> files)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\n", files)));
        return BitConverter.ToString(bytes).Replace("-", "").Substring(0, 16);
    }
}
