namespace ModelBuild.Tasks.Caching;

/// <summary>One output of a compression as the cache keeps it: its name inside an entry and where the build wants it.</summary>
/// <param name="entryName">A fixed name inside the entry (<c>model.onnx</c>), so an entry does not depend on the class name.</param>
/// <param name="targetPath">The output's path under obj/.</param>
/// <param name="optional">True for an output a run may or may not write (<c>auto</c>'s container): kept when it exists, and removed from obj/ by a restore of an entry without it.</param>
internal sealed class CachedFile(string entryName, string targetPath, bool optional = false)
{
    public bool Optional { get; } = optional;

    public string EntryName { get; } = entryName;

    public string TargetPath { get; } = targetPath;
}
