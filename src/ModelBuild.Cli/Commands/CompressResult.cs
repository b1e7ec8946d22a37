using ModelBuild.Cli.Reporting;
using ModelBuild.Compression.Selection;
using ModelBuild.Contracts.Results;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Cli.Commands;

/// <summary>Fills in and writes the result file of <c>compress --result</c> (<see cref="CompressionResultFile"/>).</summary>
public static class CompressResult
{
    /// <summary>What a measured run adds: the chosen model's budget verdicts and the report's summary line.</summary>
    public static void Describe(CompressionResultFile result, SelectionResult selected)
    {
        result.Budgets.AddRange(selected.Chosen.Verdicts.Select(v => new ResultBudget(v.Budget, v.Limit, v.Measured, v.Met, v.Miss)));
        // The paragraph after the report's title, the line the build log shows beside the report's path.
        result.Summary = selected.Explanation.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0) ?? "";
    }

    /// <summary>Writes the result (the run's exit code unless the file cannot be written: MB1009, exit 1).</summary>
    public static int Write(ConsoleReporter reporter, CompressionResultFile result, string path, CompressPaths paths, IReadOnlyList<string> dataFiles, int exitCode)
    {
        result.Succeeded = exitCode == ExitCodes.Success;
        result.Outputs.AddRange(paths.Models.Append(paths.Description).Concat(result.Reports).Where(File.Exists));
        result.DataFiles.AddRange(dataFiles);
        try
        {
            result.Write(path);
            return exitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reporter.Error(path, DiagnosticCodes.CannotWrite, $"the result file could not be written: {e.Message.TrimEnd('.')}. Check the folder exists and is writable");
            return exitCode == ExitCodes.Success ? ExitCodes.ModelFailed : exitCode;
        }
    }
}
