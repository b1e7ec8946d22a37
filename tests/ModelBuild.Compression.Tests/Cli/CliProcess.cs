using System.Diagnostics;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>Runs the built <c>modelbuild.dll</c> out of process, as the MSBuild task does.</summary>
public static class CliProcess
{
    /// <summary>The CLI the test project's reference to ModelBuild.Cli copied beside the tests.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "modelbuild.dll");

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    public static CliResult Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        // A guard against a hung run, not a speed goal: auto on a zoo model takes about 2 minutes on 2 idle cores.
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"modelbuild {string.Join(" ", arguments)} did not finish in {Limit.TotalMinutes} minutes");
        }
        return new CliResult(process.ExitCode, standardOutput.Result, standardError.Result);
    }
}
