using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ModelBuild.Contracts.Results;
using ModelBuild.Tasks.Caching;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Tasks.Compression;

/// <summary>
/// Runs <c>modelbuild compress</c> for one model in its own process, so ONNX Runtime's native library and the
/// memory a large model needs never live in the long-lived MSBuild node. What the run did comes from the CLI's
/// result file (<see cref="CompressionResultFile"/>), not from its output: its warnings and errors become MSBuild
/// warnings and errors on their files, its summary goes to the log beside the report, and the data files it read
/// go to the model's dependency file, which the targets take as the compress target's inputs next time. Progress
/// lines go to the build log.
/// </summary>
public sealed class CompressOnnxModel : ToolTask
{
    private readonly OutputTail _tail = new(capacity: 10);
    // The CLI's standard error: its problem lines, which the result file also holds; replayed only without one.
    private readonly List<string> _errorOutput = new();
    private RejectedCandidate _rejected = new("", "");
    private CompressionResultFile? _result;

    /// <summary>
    /// One resolved model (ResolveOnnxModels' output): its paths, recipe and every option of
    /// <see cref="Contracts.Options.ItemOptions"/> as metadata.
    /// </summary>
    [Required]
    public ITaskItem Model { get; set; } = null!;

    private string ModelPath => Model.ItemSpec;

    private string CompressedPath => Model.GetMetadata("CompressedPath");

    private string DescriptionPath => Model.GetMetadata("DescriptionPath");

    /// <summary>Where the ONNX a container decodes to goes (packed recipes), or empty.</summary>
    private string DecodedPath => Model.GetMetadata("DecodedPath");

    /// <summary>Where <c>auto</c> writes a container when it chooses a packed recipe (<see cref="CompressedPath"/> then holds the ONNX it decodes to), or empty.</summary>
    private string ContainerPath => Model.GetMetadata("ContainerPath");

    /// <summary>Where the CLI writes <c>&lt;ClassName&gt;.report.md</c> (and <c>.html</c>); empty without evaluation data.</summary>
    private string ReportPath => Model.GetMetadata("ReportPath");

    private string ResultPath => Model.GetMetadata("ResultPath");

    private string DependencyPath => Model.GetMetadata("DependencyPath");

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

    /// <summary>The project directory: paths inside it enter the cache key relative to it.</summary>
    public string ProjectDirectory { get; set; } = "";

    protected override string ToolName => "dotnet";

    // Progress lines ("modelbuild: model.onnx: step") should be visible at the default verbosity; the problem lines
    // on standard error come again from the result file, so they are logged only for -v:detailed.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Low;

    protected override string GenerateFullPathToTool() =>
        DotnetHostPath.Length > 0 && File.Exists(DotnetHostPath) ? DotnetHostPath : ToolName;

    protected override string GenerateCommandLineCommands() => CompressCommandLine.For(Model, CliPath, PackageFolders, ResultPath);

    public override bool Execute()
    {
        _rejected = RejectedCandidate.For(CompressedPath, DescriptionPath);
        // Old outputs must not survive a failed run: they would look up to date to the next build.
        DeleteIfPresent(CompressedPath);
        DeleteIfPresent(DescriptionPath);
        DeleteIfPresent(DecodedPath);
        DeleteIfPresent(ContainerPath);
        DeleteIfPresent(_rejected.CompressedPath);
        DeleteIfPresent(_rejected.DescriptionPath);
        DeleteIfPresent(ResultPath);
        DeleteIfPresent(DependencyPath);
        var outputs = CachedCompression.Outputs(CompressedPath, DecodedPath, ContainerPath, DescriptionPath, ReportPath, ResultPath);
        var cache = CachedCompression.Open(Cache, CacheDirectory, ModelPath, Model.GetMetadata("StampPath"), ProjectDirectory, CliPath, outputs, Log);
        if (cache is not null && cache.TryRestore())
        {
            // A cached entry replays what its run reported.
            if (ReadResult() is { } cached)
                Report(cached);
            return !Log.HasLoggedErrors;
        }
        if (!base.Execute())
        {
            // A missed budget (MB1016) is the one failure that leaves outputs; under their usual names they would
            // make the next build think the model is up to date.
            _rejected.MoveAside(CompressedPath, DescriptionPath);
            DeleteIfPresent(DecodedPath);
            DeleteIfPresent(ContainerPath);
            return false;
        }
        if (!File.Exists(CompressedPath) || !File.Exists(DescriptionPath) || (DecodedPath.Length > 0 && !File.Exists(DecodedPath)) || _result is null)
        {
            LogSilentFailure($"modelbuild compress exited with code 0 but did not write '{CompressedPath}', {(DecodedPath.Length > 0 ? $"'{DecodedPath}', " : "")}'{DescriptionPath}' and '{ResultPath}'");
        }
        else if (!Log.HasLoggedErrors)
        {
            cache?.Store(_result.DataFiles);
        }
        return !Log.HasLoggedErrors;
    }

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        var exitCode = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        _result = ReadResult();
        if (_result is not null)
        {
            Report(_result);
        }
        else
        {
            // No result file: the CLI stopped before it could write one (a command line it refused, a host that did
            // not start). Its canonical problem lines are all there is.
            foreach (var line in _errorOutput)
                base.LogEventsFromTextOutput(line, MessageImportance.High);
        }
        return exitCode;
    }

    /// <summary>The run's warnings and errors on their files, its summary beside the report, and its data files for the next build.</summary>
    private void Report(CompressionResultFile result)
    {
        foreach (var warning in result.Warnings)
            Log.LogWarning(null, warning.Code, null, warning.Origin, 0, 0, 0, 0, warning.Message);
        foreach (var error in result.Errors)
        {
            var message = error.Code == DiagnosticCodes.BudgetMissed ? error.Message + " " + _rejected.Explain(ReportPath) : error.Message;
            Log.LogError(null, error.Code, null, error.Origin, 0, 0, 0, 0, message);
        }
        if (!result.Succeeded)
            return;
        if (ReportPath.Length > 0 && File.Exists(ReportPath))
            Log.LogMessage(MessageImportance.High, $"{ModelPath}: report {ReportPath}: {result.Summary}");
        WriteDependencyFile(result.DataFiles);
    }

    /// <summary>The result file, or null when there is none or it cannot be read (then the run counts as silent).</summary>
    private CompressionResultFile? ReadResult()
    {
        try
        {
            return File.Exists(ResultPath) ? CompressionResultFile.Read(ResultPath) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Log.LogMessage(MessageImportance.High, $"{ModelPath}: the result file '{ResultPath}' could not be read: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// grpc's dependency-file pattern: the data files this run read, one per line, which ResolveOnnxModels gives the
    /// compress target as inputs next time (so an edited image recompresses).
    /// </summary>
    private void WriteDependencyFile(IEnumerable<string> dataFiles)
    {
        if (DependencyPath.Length == 0)
            return;
        var temporary = DependencyPath + ".tmp";
        File.WriteAllLines(temporary, dataFiles, new UTF8Encoding(false));
        DeleteIfPresent(DependencyPath);
        File.Move(temporary, DependencyPath);
    }

    // File.Delete throws when the folder is missing, which is not a reason to fail here.
    private static void DeleteIfPresent(string path)
    {
        if (path.Length > 0 && File.Exists(path))
            File.Delete(path);
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        _tail.Add(singleLine);
        if (messageImportance == StandardErrorLoggingImportance)
            _errorOutput.Add(singleLine);
        Log.LogMessage(messageImportance, singleLine);
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
