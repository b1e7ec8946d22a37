using System.IO;

namespace ModelBuild.Tasks.Compression;

/// <summary>
/// Where the best candidate of a run that missed its budget is kept for inspection: beside the usual outputs as
/// <c>&lt;ClassName&gt;.rejected.onnx</c> (<c>.rejected.mbc</c> for a container) / <c>.rejected.modeldesc</c>, names no
/// target or generator reads.
/// </summary>
internal sealed class RejectedCandidate(string compressedPath, string descriptionPath)
{
    public string CompressedPath { get; } = compressedPath;

    public string DescriptionPath { get; } = descriptionPath;

    public static RejectedCandidate For(string compressedPath, string descriptionPath) =>
        new(Path.ChangeExtension(compressedPath, ".rejected" + Path.GetExtension(compressedPath)), Path.ChangeExtension(descriptionPath, ".rejected.modeldesc"));

    /// <summary>Moves what a failed run left under the usual names aside, replacing an older rejected candidate.</summary>
    public void MoveAside(string compressedPath, string descriptionPath)
    {
        Move(compressedPath, CompressedPath);
        Move(descriptionPath, DescriptionPath);
    }

    /// <summary>Appended to the CLI's MB1016 line, which says the candidate was written.</summary>
    public string Explain(string reportPath) =>
        $"The build kept it as '{CompressedPath}' (description '{DescriptionPath}')" +
        (reportPath.Length > 0 ? $", with the report '{reportPath}'" : "") +
        ", so the next build compresses again.";

    private static void Move(string from, string to)
    {
        if (!File.Exists(from))
            return;
        if (File.Exists(to))
            File.Delete(to);
        File.Move(from, to);
    }
}
