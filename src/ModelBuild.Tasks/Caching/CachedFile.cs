namespace ModelBuild.Tasks.Caching;

/// <summary>One output of a compression as the cache keeps it: its name inside an entry and where the build wants it.</summary>
/// <param name="entryName">A fixed name inside the entry (<c>model.onnx</c>), so an entry does not depend on the class name.</param>
/// <param name="targetPath">The output's path under obj/.</param>
internal sealed class CachedFile(string entryName, string targetPath)
{
    public string EntryName { get; } = entryName;

    public string TargetPath { get; } = targetPath;
}
