using Xunit;

namespace ModelBuild.TestSupport;

/// <summary>Paths into <c>../shared/zoo</c> (beside the repository), which a fresh clone does not have.</summary>
public static class Zoo
{
    /// <summary>The repository root: the folder that holds ModelBuild.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The zoo folder, whether or not it exists.</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "zoo"));

    public static bool IsPresent => Directory.Exists(Root);

    public const string MissingReason = "needs ../shared/zoo beside the repository (real models and labeled data); a fresh clone has none";

    /// <summary>A file or folder under the zoo, e.g. <c>Zoo.PathOf("mnist", "mnist-8.onnx")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelBuild.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"ModelBuild.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A fact that needs the zoo: skipped, with the reason, when <c>../shared/zoo</c> is absent.</summary>
public sealed class ZooFactAttribute : FactAttribute
{
    public ZooFactAttribute()
    {
        if (!Zoo.IsPresent) Skip = Zoo.MissingReason;
    }
}

/// <summary>A theory that needs the zoo: skipped, with the reason, when <c>../shared/zoo</c> is absent.</summary>
public sealed class ZooTheoryAttribute : TheoryAttribute
{
    public ZooTheoryAttribute()
    {
        if (!Zoo.IsPresent) Skip = Zoo.MissingReason;
    }
}
