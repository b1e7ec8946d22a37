namespace ModelBuild.EndToEnd.Tests;

/// <summary>Runs the real <c>dotnet</c> host, isolated from the MSBuild that runs these tests.</summary>
public static class Dotnet
{
    public static ProcessResult Run(string workingDirectory, params string[] arguments) =>
        ChildProcess.Run("dotnet", workingDirectory, arguments);
}
