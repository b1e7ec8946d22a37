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
        actual = Normalize(actual.Replace($"\"{ModelClassGenerator.Version}\"", $"\"{VersionToken}\""));
        var folder = Path.GetDirectoryName(testFile)!;
        var verifiedPath = Path.Combine(folder, $"{name}.verified.{extension}");
        var receivedPath = Path.Combine(folder, $"{name}.received.{extension}");
        var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            WriteAtomically(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }
        WriteAtomically(receivedPath, actual);
        var problem = verified is null
            ? $"no baseline {verifiedPath}"
            : $"{receivedPath} differs from {verifiedPath}:\n{LineDiff.Describe(verified, actual)}";
        throw new Xunit.Sdk.XunitException($"Snapshot '{name}': {problem}\nIf the new output is right, rerun with {AcceptVariable}=1.");
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
