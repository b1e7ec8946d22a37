using System.Diagnostics;
using System.Text;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>Runs a program to its end, isolated from the MSBuild that runs these tests, keeping what it printed.</summary>
public static class ChildProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static ProcessResult Run(string program, string workingDirectory, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Isolate(start.Environment);

        var commandLine = $"{program} {string.Join(" ", arguments)}";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {Timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (output)
            return new ProcessResult(commandLine, process.ExitCode, output.ToString());
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static void Isolate(IDictionary<string, string?> environment)
    {
        // The test host runs under dotnet test's MSBuild; its variables would steer the child builds.
        foreach (var name in environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                environment.Remove(name);
        }
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No MSBuild nodes left running after a test: they would hold the temporary app's task assemblies.
        environment["MSBUILDDISABLENODEREUSE"] = "1";
    }
}
