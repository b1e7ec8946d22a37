namespace ModelBuild.EndToEnd.Tests;

/// <summary>What a finished process printed (stdout and stderr interleaved as they arrived) and its exit code.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>For assertion messages: the command, the exit code, and the output.</summary>
    public override string ToString() => $"$ {CommandLine}\nexit code {ExitCode}\n{Output}";
}
