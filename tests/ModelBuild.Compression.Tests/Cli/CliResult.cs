namespace ModelBuild.Compression.Tests.Cli;

/// <summary>What one <c>modelbuild</c> run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> ErrorLines =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
