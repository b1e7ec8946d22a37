using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ModelBuild.Tasks.ExternalData;

namespace ModelBuild.Tasks.Caching;

/// <summary>
/// The content hashes that find a cache entry, in two levels, because the data files a run reads are known only
/// after it ran (the CLI's result file lists them). The key (<see cref="Compute"/>): SHA-256 over the model's bytes
/// and those of each external data file it points at (under its location); the settings stamp (every setting, the
/// tool version and the list of data files the item names among them); and the bytes of every assembly beside the
/// CLI, so a CLI rebuilt from changed sources (whose version did not change) is a new key too. Under a key, each
/// entry holds its data manifest (<see cref="DataManifest"/>: each data file the run read, with its hash) and is a
/// hit only while every one of those files still has that hash.
/// </summary>
/// <remarks>
/// Paths inside the project are taken relative to it, so a fresh clone elsewhere finds what another clone stored.
/// The stamp's <c>source=</c> keeps only the model's file name: its bytes are hashed, and of its path only the file
/// name reaches an output (the report's title), while the folder already shapes the namespace, which has its own
/// entry.
/// </remarks>
internal static class CacheKey
{
    private const string Format = "modelbuild-cache-key 2";

    /// <summary>The key as 64 lower-case hex digits.</summary>
    public static string Compute(string modelPath, string stampText, string projectDirectory, string cliPath) =>
        Hex(Sha256(Encoding.UTF8.GetBytes(Describe(modelPath, stampText, projectDirectory, cliPath))));

    /// <summary>The text the key hashes, one fact per line (kept separate so a test can show what changed).</summary>
    public static string Describe(string modelPath, string stampText, string projectDirectory, string cliPath)
    {
        var project = ProjectPrefix(projectDirectory);
        var text = new StringBuilder();
        text.Append(Format).Append('\n');
        text.Append("model ").Append(FileHash(modelPath)).Append('\n');
        var modelFolder = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? "";
        foreach (var file in ExternalDataFiles.Of(modelPath))
            text.Append("external ").Append(file.Substring(modelFolder.Length + 1).Replace('\\', '/')).Append(' ').Append(FileHash(file)).Append('\n');
        foreach (var line in stampText.Replace("\r\n", "\n").Split('\n').Where(line => line.Length > 0))
        {
            var setting = line.StartsWith("source=", StringComparison.Ordinal)
                ? "source=" + Path.GetFileName(line.Substring("source=".Length))
                : Relative(line, project);
            text.Append("setting ").Append(setting).Append('\n');
        }
        var cliFolder = Path.GetDirectoryName(Path.GetFullPath(cliPath)) ?? "";
        foreach (var assembly in Directory.GetFiles(cliFolder, "*.dll").OrderBy(Path.GetFileName, StringComparer.Ordinal))
            text.Append("cli ").Append(Path.GetFileName(assembly)).Append(' ').Append(FileHash(assembly)).Append('\n');
        return text.ToString();
    }

    /// <summary>The data files a run read, each as its path (relative to the project where inside it) and its hash, sorted.</summary>
    public static IReadOnlyList<DataFileHash> DataManifest(IEnumerable<string> dataFiles, string projectDirectory)
    {
        var project = ProjectPrefix(projectDirectory);
        return dataFiles.Where(file => file.Length > 0)
            .Select(file => new DataFileHash(Relative(Path.GetFullPath(file), project).Replace('\\', '/'), FileHash(file)))
            .OrderBy(entry => entry.Path, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Where a manifest path is now: under the project when it was relative.</summary>
    public static string Locate(string manifestPath, string projectDirectory) =>
        Path.IsPathRooted(manifestPath) ? manifestPath : Path.Combine(ProjectPrefix(projectDirectory), manifestPath);

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

    private static string ProjectPrefix(string projectDirectory) =>
        projectDirectory.Length == 0 ? "" : Path.GetFullPath(projectDirectory).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;

    // Every occurrence, as a data spec may hold several paths; paths outside the project stay absolute.
    private static string Relative(string text, string project) =>
        project.Length == 0 ? text : text.Replace(project, "");
}
