using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// The ModelBuild package, packed once for the whole test assembly into a temporary folder feed. Its version is
/// unique per run, so the global package cache never serves a copy from an earlier run.
/// </summary>
public sealed class PackedModelBuild : IDisposable
{
    private readonly TemporaryFolder _feed = new();

    public PackedModelBuild()
    {
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var project = Path.Combine(Zoo.RepoRoot, "src", "ModelBuild", "ModelBuild.csproj");
        // PackageVersion, not Version: the assemblies need no rebuild just to carry a test version.
        var pack = Dotnet.Run(Zoo.RepoRoot, "pack", project, "-c", "Release", "-o", _feed.Path,
            $"-p:PackageVersion={Version}", "-nologo", "-tl:off");
        PackagePath = Path.Combine(_feed.Path, $"ModelBuild.{Version}.nupkg");
        if (!pack.Succeeded || !File.Exists(PackagePath))
        {
            // xUnit never disposes a fixture whose constructor threw.
            _feed.Dispose();
            throw new InvalidOperationException($"dotnet pack did not produce {PackagePath}:\n{pack}");
        }
    }

    public string Version { get; }

    public string FeedPath => _feed.Path;

    public string PackagePath { get; }

    public void Dispose()
    {
        _feed.Dispose();
        // Only this run's version: each one holds a copy of the CLI, which the next run never reuses.
        var cached = Path.Combine(GlobalPackagesFolder(), "modelbuild", Version);
        if (Directory.Exists(cached))
            Directory.Delete(cached, recursive: true);
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}

[CollectionDefinition(Name)]
public sealed class PackedModelBuildCollection : ICollectionFixture<PackedModelBuild>
{
    public const string Name = "packed ModelBuild";
}
