namespace ModelBuild.EndToEnd.Tests;

/// <summary>The ModelBuild package, packed once for the whole test assembly into a temporary folder feed.</summary>
public sealed class PackedModelBuild : IDisposable
{
    private readonly LocalFeed _feed = new(Path.Combine("src", "ModelBuild", "ModelBuild.csproj"), "ModelBuild");

    public string Version => _feed.Version;

    public string FeedPath => _feed.FolderPath;

    public string PackagePath => _feed.PackagePath;

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

/// <summary>
/// Every class that packs or builds with the packed package: one at a time, since two packs would build the same
/// projects of src/ into the same folders at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackedModelBuildCollection : ICollectionFixture<PackedModelBuild>
{
    public const string Name = "packed ModelBuild";
}
