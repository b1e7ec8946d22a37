using System.Runtime.CompilerServices;
using System.Text;

namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>
/// Verify's conventions without Verify (the mirror does not serve it): <c>Name.verified.ext</c> is committed beside
/// the test; on a mismatch <c>Name.received.ext</c> is written next to it (git-ignored) and the failure shows the
/// difference. Set <c>MODELBUILD_ACCEPT_SNAPSHOTS=1</c> to accept the received output as the new baseline.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "MODELBUILD_ACCEPT_SNAPSHOTS";

    /// <summary>Stands for the generator's version, so a version bump does not invalidate every baseline.</summary>
    public const string VersionToken = "{ModelBuildVersion}";

    public static void Match(string actual, string name, string extension = "cs", [CallerFilePath] string testFile = "")
    {
        var folder = Path.GetDirectoryName(testFile)!;
        var accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        var problem = Compare(actual, Path.Combine(folder, $"{name}.verified.{extension}"), Path.Combine(folder, $"{name}.received.{extension}"), accept);
        if (problem is not null)
            throw new Xunit.Sdk.XunitException($"Snapshot '{name}': {problem}\nIf the new output is right, rerun with {AcceptVariable}=1.");
    }

    /// <summary>Null when <paramref name="actual"/> matches (or was accepted); else what differs, with the received file written.</summary>
    public static string? Compare(string actual, string verifiedPath, string receivedPath, bool accept)
    {
        actual = Normalize(actual.Replace($"\"{ModelClassGenerator.Version}\"", $"\"{VersionToken}\""));
        var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == actual || accept)
        {
            if (verified != actual) WriteAtomically(verifiedPath, actual);
            File.Delete(receivedPath);
            return null;
        }
        WriteAtomically(receivedPath, actual);
        return verified is null
            ? $"no baseline {verifiedPath}"
            : $"{receivedPath} differs from {verifiedPath}:\n{LineDiff.Describe(verified, actual)}";
    }

    // Baselines compare by content: a checkout that turned \n into \r\n must still match.
    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }
}
