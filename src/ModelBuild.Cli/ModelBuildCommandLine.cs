using System.CommandLine;
using System.CommandLine.Help;
using ModelBuild.Cli.Commands;
using ModelBuild.Cli.Reporting;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Cli;

/// <summary>The <c>modelbuild</c> root command: parses, reports command-line errors with a code, runs the command.</summary>
public static class ModelBuildCommandLine
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var reporter = new ConsoleReporter(output, error);
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces of internal errors.", Recursive = true };
        var root = new RootCommand("Compresses ONNX models, evaluates and inspects them.")
        {
            verbose,
            CompressCommand.Create(reporter, verbose),
            InspectCommand.Create(reporter, verbose),
            EvaluateCommand.Create(reporter, verbose),
            ReportCommand.Create(reporter, verbose),
        };

        var parseResult = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            foreach (var parseError in parseResult.Errors)
                reporter.Error(ConsoleReporter.ToolOrigin, DiagnosticCodes.BadCommandLine, $"{parseError.Message.TrimEnd('.')}. Run 'modelbuild --help' for usage");
            return ExitCodes.BadCommandLine;
        }
        try
        {
            return parseResult.Invoke(invocation);
        }
        catch (Exception e)
        {
            // Commands report their own failures; this is the last guard against a stack trace reaching the build log.
            ModelCommandRunner.ReportInternalError(reporter, ConsoleReporter.ToolOrigin, e, parseResult.GetValue(verbose));
            return ExitCodes.InternalError;
        }
    }
}
