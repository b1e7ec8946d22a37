using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// One project of the repository packed (Release) into a temporary folder feed. Its version is unique per run, so the
/// global package cache never serves a copy from an earlier run.
/// </summary>
public sealed class LocalFeed : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    /// <param name="project">The project file, relative to the repository root.</param>
    /// <param name="packageId">The id the project packs as, which names the .nupkg.</param>
    public LocalFeed(string project, string packageId)
    {
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        // PackageVersion, not Version: the assemblies need no rebuild just to carry a test version.
        var pack = Dotnet.Run(Zoo.RepoRoot, "pack", Path.Combine(Zoo.RepoRoot, project), "-c", "Release", "-o", _folder.Path,
            $"-p:PackageVersion={Version}", "-nologo", "-tl:off");
        PackagePath = _folder.File($"{packageId}.{Version}.nupkg");
        if (!pack.Succeeded || !File.Exists(PackagePath))
        {
            // xUnit never disposes a fixture whose constructor threw.
            _folder.Dispose();
            throw new InvalidOperationException($"dotnet pack did not produce {PackagePath}:\n{pack}");
        }
    }

    public string Version { get; }

    public string FolderPath => _folder.Path;

    public string PackagePath { get; }

    public void Dispose() => _folder.Dispose();
}
