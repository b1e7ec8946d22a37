using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ModelBuild.Tasks.Caching;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Tasks.Compression;

/// <summary>
/// Runs <c>modelbuild compress</c> for one model in its own process, so ONNX Runtime's native library and the
/// memory a large model needs never live in the long-lived MSBuild node. The CLI's canonical
/// <c>file: error MBxxxx: text</c> lines become MSBuild errors; its progress lines go to the build log.
/// </summary>
public sealed class CompressOnnxModel : ToolTask
{
    private readonly OutputTail _tail = new(capacity: 10);
    private RejectedCandidate _rejected = new("", "");
    private readonly List<string> _warnings = new();

    [Required]
    public string ModelPath { get; set; } = "";

    [Required]
    public string Recipe { get; set; } = "";

    [Required]
    public string CompressedPath { get; set; } = "";

    [Required]
    public string DescriptionPath { get; set; } = "";

    /// <summary>Absolute data specs (docs/internals.md); empty when the item sets none.</summary>
    public string CalibrationData { get; set; } = "";

    public string EvaluationData { get; set; } = "";

    /// <summary>A CTC recognizer's dictionary file (absolute), to score it against text labels.</summary>
    public string Charset { get; set; } = "";

    public string CalibrationCount { get; set; } = "";

    public string CalibrationMethod { get; set; } = "";

    public string ExcludeNodes { get; set; } = "";

    public string ExcludeOps { get; set; } = "";

    public string EvaluationCount { get; set; } = "";

    public string Preprocessing { get; set; } = "";

    public string LatencyRounds { get; set; } = "";

    public string MaxAccuracyDrop { get; set; } = "";

    public string MaxSize { get; set; } = "";

    public string MaxLatencyRatio { get; set; } = "";

    public string ObjectiveWeights { get; set; } = "";

    /// <summary>portable (default), x64-vnni, x64-avx2, arm64 or native.</summary>
    public string TargetCpu { get; set; } = "";

    /// <summary>Where the CLI writes <c>&lt;ClassName&gt;.report.md</c> (and <c>.html</c>); empty without evaluation data.</summary>
    public string ReportPath { get; set; } = "";

    /// <summary>The framework-dependent <c>modelbuild.dll</c>.</summary>
    [Required]
    public string CliPath { get; set; } = "";

    /// <summary>The dotnet host running this build ($(DOTNET_HOST_PATH)); <c>dotnet</c> from PATH when empty.</summary>
    public string DotnetHostPath { get; set; } = "";

    /// <summary>
    /// NuGet package folders ($(NuGetPackageFolders)). The package leaves ONNX Runtime's native libraries out of the
    /// CLI's folder; dotnet finds them in the restored Microsoft.ML.OnnxRuntime package through these.
    /// </summary>
    public string[] PackageFolders { get; set; } = [];

    /// <summary>$(ModelBuildCache): <c>false</c> turns the compression cache off.</summary>
    public string Cache { get; set; } = "";

    /// <summary>$(ModelBuildCacheDirectory); the per-user default when empty (see <see cref="CompressionCache"/>).</summary>
    public string CacheDirectory { get; set; } = "";

    /// <summary>The settings stamp, the project directory and the data files: part of the cache key.</summary>
    public string StampPath { get; set; } = "";

    public string ProjectDirectory { get; set; } = "";

    public string[] DataFiles { get; set; } = [];

    protected override string ToolName => "dotnet";

    // Progress lines ("modelbuild: model.onnx: step") should be visible at the default verbosity.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override string GenerateFullPathToTool() =>
        DotnetHostPath.Length > 0 && File.Exists(DotnetHostPath) ? DotnetHostPath : ToolName;

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        // Roll forward: the CLI targets net8.0 but must run where only a newer runtime is installed.
        builder.AppendSwitch("exec");
        builder.AppendSwitchIfNotNull("--roll-forward ", "Major");
        foreach (var folder in PackageFolders)
            builder.AppendSwitchIfNotNull("--additionalprobingpath ", folder.TrimEnd('/', '\\'));
        builder.AppendFileNameIfNotNull(CliPath);
        builder.AppendSwitch("compress");
        builder.AppendFileNameIfNotNull(ModelPath);
        builder.AppendSwitchIfNotNull("--recipe ", Recipe);
        builder.AppendSwitchIfNotNull("--output ", CompressedPath);
        builder.AppendSwitchIfNotNull("--description ", DescriptionPath);
        AppendIfSet(builder, "--calibration-data ", CalibrationData);
        AppendIfSet(builder, "--calibration-count ", CalibrationCount);
        AppendIfSet(builder, "--calibration-method ", CalibrationMethod);
        AppendIfSet(builder, "--exclude-nodes ", ExcludeNodes);
        AppendIfSet(builder, "--exclude-ops ", ExcludeOps);
        AppendIfSet(builder, "--evaluation-data ", EvaluationData);
        AppendIfSet(builder, "--evaluation-count ", EvaluationCount);
        AppendIfSet(builder, "--charset ", Charset);
        AppendIfSet(builder, "--preprocessing ", Preprocessing);
        AppendIfSet(builder, "--latency-rounds ", LatencyRounds);
        AppendIfSet(builder, "--max-accuracy-drop ", MaxAccuracyDrop);
        AppendIfSet(builder, "--max-size ", MaxSize);
        AppendIfSet(builder, "--max-latency-ratio ", MaxLatencyRatio);
        AppendIfSet(builder, "--objective-weights ", ObjectiveWeights);
        AppendIfSet(builder, "--target-cpu ", TargetCpu);
        AppendIfSet(builder, "--report ", ReportPath);
        return builder.ToString();
    }

    private static void AppendIfSet(CommandLineBuilder builder, string option, string value)
    {
        if (value.Length > 0)
            builder.AppendSwitchIfNotNull(option, value);
    }

    public override bool Execute()
    {
        _rejected = RejectedCandidate.For(CompressedPath, DescriptionPath);
        // Old outputs must not survive a failed run: they would look up to date to the next build.
        DeleteIfPresent(CompressedPath);
        DeleteIfPresent(DescriptionPath);
        DeleteIfPresent(_rejected.CompressedPath);
        DeleteIfPresent(_rejected.DescriptionPath);
        var outputs = CachedCompression.Outputs(CompressedPath, DescriptionPath, ReportPath);
        var cache = CachedCompression.Open(Cache, CacheDirectory, ModelPath, StampPath, DataFiles, ProjectDirectory, CliPath, outputs, Log);
        if (cache?.TryRestore() is { } cachedWarnings)
        {
            foreach (var warning in cachedWarnings)
                base.LogEventsFromTextOutput(warning, MessageImportance.High);
            LogReportSummary();
            return !Log.HasLoggedErrors;
        }
        if (!base.Execute())
        {
            // A missed budget (MB1016) is the one failure that leaves outputs; under their usual names they would
            // make the next build think the model is up to date.
            _rejected.MoveAside(CompressedPath, DescriptionPath);
            return false;
        }
        if (!File.Exists(CompressedPath) || !File.Exists(DescriptionPath))
        {
            LogSilentFailure($"modelbuild compress exited with code 0 but did not write '{CompressedPath}' and '{DescriptionPath}'");
        }
        else
        {
            LogReportSummary();
            if (!Log.HasLoggedErrors)
                cache?.Store(_warnings);
        }
        return !Log.HasLoggedErrors;
    }

    private void LogReportSummary()
    {
        if (ReportPath.Length > 0 && File.Exists(ReportPath))
            Log.LogMessage(MessageImportance.High, $"{ModelPath}: report {ReportPath}: {ReportSummary.Read(ReportPath)}");
    }

    // File.Delete throws when the folder is missing, which is not a reason to fail here.
    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        _tail.Add(singleLine);
        // Kept with a cached entry, so a restored model shows the warnings its compression gave.
        if (singleLine.Contains(": warning MB"))
            _warnings.Add(singleLine);
        if (singleLine.Contains($": error {DiagnosticCodes.BudgetMissed}: "))
            singleLine += " " + _rejected.Explain(ReportPath);
        base.LogEventsFromTextOutput(singleLine, messageImportance);
    }

    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors)
            LogSilentFailure($"modelbuild compress exited with code {ExitCode} without reporting an error");
        return false;
    }

    private void LogSilentFailure(string what) =>
        Log.LogError(null, DiagnosticCodes.CliFailedSilently, null, ModelPath, 0, 0, 0, 0,
            $"{what}. Its last output lines:\n{_tail}\nRebuild with -v:detailed to see the whole output, and report the problem.");
}
