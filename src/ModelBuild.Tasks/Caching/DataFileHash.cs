namespace ModelBuild.Tasks.Caching;

/// <summary>One line of a cache entry's data manifest: a data file the run read (relative to the project where inside it) and its SHA-256.</summary>
internal sealed class DataFileHash(string path, string hash)
{
    public string Path { get; } = path;

    public string Hash { get; } = hash;
}
