using ModelBuild.Cli.Reporting;
using ModelBuild.Compression;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Opsets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;

namespace ModelBuild.Cli.Commands;

/// <summary>
/// Runs a command on one model and turns every failure into one canonical error line and an exit code:
/// a bad model is exit 1, an unknown recipe exit 2, anything unexpected MB9001 and exit 3, never a stack trace
/// unless <c>--verbose</c>. The clean-up action runs on every failure so no output is left behind.
/// </summary>
public static class ModelCommandRunner
{
    public static int Run(ConsoleReporter reporter, string modelPath, bool verbose, Func<int> command, Action? cleanUp = null)
    {
        try
        {
            return command();
        }
        catch (RecipeException e)
        {
            reporter.Error(modelPath, e.Code, e.Message);
            return Fail(ExitCodes.BadCommandLine);
        }
        catch (OnnxModelException e)
        {
            reporter.Error(e.FilePath ?? modelPath, e.Code, e.Detail);
            return Fail(ExitCodes.ModelFailed);
        }
        catch (CompressionException e)
        {
            reporter.Error(e.Origin.Length > 0 ? e.Origin : modelPath, e.Code, e.Message);
            return Fail(e.IsCommandLineProblem ? ExitCodes.BadCommandLine : ExitCodes.ModelFailed);
        }
        catch (DataFileException e)
        {
            reporter.Error(e.FilePath, DiagnosticCodes.BadDataFile, e.Detail);
            return Fail(ExitCodes.ModelFailed);
        }
        catch (OpsetUpgradeException e)
        {
            reporter.Error(modelPath, DiagnosticCodes.OpsetUpgradeBlocked, e.Message.Replace($"{DiagnosticCodes.OpsetUpgradeBlocked}: ", "", StringComparison.Ordinal));
            return Fail(ExitCodes.ModelFailed);
        }
        catch (Exception e)
        {
            ReportInternalError(reporter, modelPath, e, verbose);
            return Fail(ExitCodes.InternalError);
        }

        int Fail(int exitCode)
        {
            try
            {
                cleanUp?.Invoke();
            }
            catch (OnnxModelException e)
            {
                reporter.Error(e.FilePath ?? modelPath, e.Code, e.Detail);
            }
            return exitCode;
        }
    }

    /// <summary>One MB9001 line with the message; the stack trace only under <c>--verbose</c>.</summary>
    public static void ReportInternalError(ConsoleReporter reporter, string origin, Exception e, bool verbose)
    {
        reporter.Error(origin, DiagnosticCodes.InternalError,
            $"internal error: {e.Message.TrimEnd('.')}. Please report it with the model; '--verbose' shows where it happened");
        if (verbose) reporter.Detail(e.ToString());
    }
}
