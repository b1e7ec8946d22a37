using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ModelBuild.Tasks.ExternalData;

namespace ModelBuild.Tasks.Caching;

/// <summary>
/// The content hash that names a cache entry: SHA-256 over everything that shapes a model's outputs. The model's
/// bytes and those of each external data file it points at (under its location); the settings stamp (every
/// setting, the tool version among them); each data file's bytes under its path; and the bytes of every assembly
/// beside the CLI, so a CLI rebuilt from changed sources (whose version did not change) is a new key too.
/// </summary>
/// <remarks>
/// Paths inside the project are taken relative to it, so a fresh clone elsewhere finds what another clone stored.
/// The stamp's <c>source=</c> keeps only the model's file name: its bytes are hashed, and of its path only the file
/// name reaches an output (the report's title), while the folder already shapes the namespace, which has its own
/// entry. The stamp's <c>data-file-list=</c> (a hash of absolute paths) is replaced by the <c>data</c> lines.
/// </remarks>
internal static class CacheKey
{
    private const string Format = "modelbuild-cache-key 1";

    /// <summary>The key as 64 lower-case hex digits.</summary>
    public static string Compute(string modelPath, string stampText, IEnumerable<string> dataFiles, string projectDirectory, string cliPath) =>
        Hex(Sha256(Encoding.UTF8.GetBytes(Describe(modelPath, stampText, dataFiles, projectDirectory, cliPath))));

    /// <summary>The text the key hashes, one fact per line (kept separate so a test can show what changed).</summary>
    public static string Describe(string modelPath, string stampText, IEnumerable<string> dataFiles, string projectDirectory, string cliPath)
    {
        var project = projectDirectory.Length == 0 ? "" : Path.GetFullPath(projectDirectory).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
        var text = new StringBuilder();
        text.Append(Format).Append('\n');
        text.Append("model ").Append(FileHash(modelPath)).Append('\n');
        var modelFolder = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? "";
        foreach (var file in ExternalDataFiles.Of(modelPath))
            text.Append("external ").Append(file.Substring(modelFolder.Length + 1).Replace('\\', '/')).Append(' ').Append(FileHash(file)).Append('\n');
        foreach (var line in stampText.Replace("\r\n", "\n").Split('\n').Where(line => line.Length > 0))
        {
            if (line.StartsWith("data-file-list=", StringComparison.Ordinal))
                continue;
            var setting = line.StartsWith("source=", StringComparison.Ordinal)
                ? "source=" + Path.GetFileName(line.Substring("source=".Length))
                : Relative(line, project);
            text.Append("setting ").Append(setting).Append('\n');
        }
        foreach (var file in dataFiles.Where(file => file.Length > 0))
            text.Append("data ").Append(Relative(Path.GetFullPath(file), project)).Append(' ').Append(FileHash(file)).Append('\n');
        var cliFolder = Path.GetDirectoryName(Path.GetFullPath(cliPath)) ?? "";
        foreach (var assembly in Directory.GetFiles(cliFolder, "*.dll").OrderBy(Path.GetFileName, StringComparer.Ordinal))
            text.Append("cli ").Append(Path.GetFileName(assembly)).Append(' ').Append(FileHash(assembly)).Append('\n');
        return text.ToString();
    }

    public static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        using var sha = SHA256.Create();
        return Hex(sha.ComputeHash(stream));
    }

    public static byte[] Sha256(byte[] bytes)
    {
        using var sha = SHA256.Create();
        return sha.ComputeHash(bytes);
    }

    public static string Hex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", "").ToLowerInvariant();

    // Every occurrence, as a data spec may hold several paths; paths outside the project stay absolute.
    private static string Relative(string text, string project) =>
        project.Length == 0 ? text : text.Replace(project, "");
}
