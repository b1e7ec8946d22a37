using System.CommandLine;
using ModelBuild.Cli.Reporting;
using ModelBuild.Compression;
using ModelBuild.Compression.Reporting;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Cli.Commands;

/// <summary><c>modelbuild report &lt;model.report.md&gt;</c>: prints a report written by <c>compress --report</c>.</summary>
public static class ReportCommand
{
    public static Command Create(ConsoleReporter reporter, Option<bool> verbose)
    {
        var report = new Argument<string>("report") { Description = "A .report.md written by 'modelbuild compress --report'." };
        var command = new Command("report", "Print a compression report.") { report };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(report);
            return ModelCommandRunner.Run(reporter, path, parse.GetValue(verbose), () =>
            {
                if (!File.Exists(path))
                    throw new CompressionException(DiagnosticCodes.NotAReport, path, "the report does not exist: expected a .report.md written by 'modelbuild compress --report', found no file");
                var text = File.ReadAllText(path);
                if (!text.StartsWith(ReportFormat.TitlePrefix, StringComparison.Ordinal))
                    throw new CompressionException(DiagnosticCodes.NotAReport, path,
                        $"not a ModelBuild report: expected a first line starting '{ReportFormat.TitlePrefix.Trim()}', found '{text.Split('\n')[0].Trim()}'");
                reporter.Output.Write(text);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
