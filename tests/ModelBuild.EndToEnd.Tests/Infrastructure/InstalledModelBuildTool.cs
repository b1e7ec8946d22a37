using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// The <c>modelbuild</c> .NET tool as a user gets it: src/ModelBuild.Cli packed into a temporary folder feed, then
/// <c>dotnet tool install</c>ed from that feed alone into a temporary tool folder.
/// </summary>
public sealed class InstalledModelBuildTool : IDisposable
{
    public const string PackageId = "ModelBuild.Cli";

    private readonly LocalFeed _feed = new(Path.Combine("src", "ModelBuild.Cli", "ModelBuild.Cli.csproj"), PackageId);
    private readonly TemporaryFolder _tools = new();

    public InstalledModelBuildTool()
    {
        // --source, not --add-source: what the tool needs must all be in its package.
        Install = Dotnet.Run(_tools.Path, "tool", "install", PackageId, "--tool-path", _tools.Path,
            "--source", _feed.FolderPath, "--version", _feed.Version);
        CommandPath = _tools.File(OperatingSystem.IsWindows() ? "modelbuild.exe" : "modelbuild");
        if (!Install.Succeeded || !File.Exists(CommandPath))
        {
            // xUnit never disposes a fixture whose constructor threw.
            Dispose();
            throw new InvalidOperationException($"dotnet tool install did not put {CommandPath} in place:\n{Install}");
        }
    }

    public string PackagePath => _feed.PackagePath;

    /// <summary>The command the installation put in the tool folder.</summary>
    public string CommandPath { get; }

    /// <summary>What <c>dotnet tool install</c> printed.</summary>
    public ProcessResult Install { get; }

    /// <summary>Runs the installed <c>modelbuild</c> command.</summary>
    public ProcessResult Run(string workingDirectory, params string[] arguments) =>
        ChildProcess.Run(CommandPath, workingDirectory, arguments);

    public void Dispose()
    {
        _tools.Dispose();
        _feed.Dispose();
    }
}
