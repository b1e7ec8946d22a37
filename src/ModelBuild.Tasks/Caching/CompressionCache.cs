using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ModelBuild.Tasks.Caching;

/// <summary>
/// A folder of compressed outputs keyed by <see cref="CacheKey"/>, outside obj/ so it survives <c>dotnet clean</c>.
/// Each entry is <c>&lt;root&gt;/&lt;key&gt;/&lt;data hash&gt;/</c>: under one key (model, settings, CLI) one entry per
/// set of data files read, each with the outputs under fixed names and <c>entry.txt</c>, written last, listing each
/// file's size and SHA-256 and the data manifest (each data file the run read and its SHA-256). An entry is a hit
/// only while every data file of its manifest still has its hash. An entry is stored whole or not at all (built in a
/// temporary folder, then renamed), and restored whole or not at all (every file checked against the list before any
/// is moved into place): a missing, short or altered file makes the entry a miss, and the entry is dropped.
/// Nothing is evicted: an entry holds one model's outputs; a restored entry's folder time is set to now, so
/// entries unused for long can be found by time and deleted with the folder at any moment.
/// </summary>
internal sealed class CompressionCache(string root)
{
    private const string ManifestName = "entry.txt";
    private const string ManifestHeader = "modelbuild-cache-entry\t2";

    public string Root { get; } = root;

    /// <summary>The per-user default, <c>LocalApplicationData/ModelBuild/cache</c>; empty when the system has no such folder.</summary>
    public static string DefaultRoot()
    {
        // Create: without it the path is empty until something else made the folder (a fresh user, a CI runner's
        // new home), and the cache would be off without a word.
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return local.Length == 0 ? "" : Path.Combine(Path.Combine(local, "ModelBuild"), "cache");
    }

    /// <summary>The folder of the entries under <paramref name="key"/>.</summary>
    public string KeyPath(string key) => Path.Combine(Root, key);

    /// <summary>
    /// Puts the files of the entry under <paramref name="key"/> whose data files all still match
    /// (<paramref name="dataFileHash"/> gives a manifest path's current hash, null when it is gone) at their targets;
    /// the entry's folder, or null on a miss.
    /// </summary>
    public string? TryRestore(string key, IReadOnlyList<CachedFile> files, Func<string, string?> dataFileHash)
    {
        if (!Directory.Exists(KeyPath(key)))
            return null;
        foreach (var entry in Directory.GetDirectories(KeyPath(key)).OrderBy(path => path, StringComparer.Ordinal))
        {
            var manifest = Path.Combine(entry, ManifestName);
            if (!File.Exists(manifest))
            {
                // Stores rename a complete folder into place, so an entry without its list was damaged afterwards.
                DeleteEntry(entry);
                continue;
            }
            var (sizes, data) = ReadManifest(manifest);
            if (data.All(file => dataFileHash(file.Path) == file.Hash) && Restore(entry, sizes, files))
                return entry;
        }
        return null;
    }

    /// <summary>Stores the files (all of which must exist, but optional ones) with their data manifest; false when such an entry appeared meanwhile.</summary>
    public bool Store(string key, IReadOnlyList<CachedFile> files, IReadOnlyList<DataFileHash> data)
    {
        var manifest = new StringBuilder().Append(ManifestHeader).Append('\n');
        foreach (var file in data)
            manifest.Append("data\t").Append(file.Path).Append('\t').Append(file.Hash).Append('\n');
        var entry = Path.Combine(KeyPath(key), CacheKey.Hex(CacheKey.Sha256(Encoding.UTF8.GetBytes(manifest.ToString()))));
        Directory.CreateDirectory(KeyPath(key));
        var temporary = Path.Combine(Root, ".tmp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temporary);
        try
        {
            foreach (var file in files.Where(f => !f.Optional || File.Exists(f.TargetPath)))
            {
                var bytes = File.ReadAllBytes(file.TargetPath);
                File.WriteAllBytes(Path.Combine(temporary, file.EntryName), bytes);
                manifest.Append("file\t").Append(file.EntryName).Append('\t').Append(bytes.LongLength).Append('\t')
                    .Append(CacheKey.Hex(CacheKey.Sha256(bytes))).Append('\n');
            }
            File.WriteAllText(Path.Combine(temporary, ManifestName), manifest.ToString(), new UTF8Encoding(false));
            if (Directory.Exists(entry))
                return false;
            Directory.Move(temporary, entry);
            return true;
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
    }

    private static bool Restore(string entry, Dictionary<string, (long Size, string Hash)> sizes, IReadOnlyList<CachedFile> files)
    {
        var staged = new List<(string Temporary, string Target)>();
        var absent = new List<string>();
        try
        {
            foreach (var file in files)
            {
                // An optional output the run did not write must not survive from an older run either.
                if (file.Optional && !sizes.ContainsKey(file.EntryName))
                {
                    absent.Add(file.TargetPath);
                    continue;
                }
                var bytes = sizes.TryGetValue(file.EntryName, out var expected) && File.Exists(Path.Combine(entry, file.EntryName))
                    ? File.ReadAllBytes(Path.Combine(entry, file.EntryName))
                    : null;
                if (bytes is null || bytes.LongLength != expected.Size || CacheKey.Hex(CacheKey.Sha256(bytes)) != expected.Hash)
                {
                    Discard(staged);
                    DeleteEntry(entry);
                    return false;
                }
                var temporary = TemporaryBeside(file.TargetPath);
                staged.Add((temporary, file.TargetPath));
                File.WriteAllBytes(temporary, bytes);
            }
            foreach (var (temporary, target) in staged)
                MoveIntoPlace(temporary, target);
            foreach (var target in absent)
                DeleteIfPresent(target);
        }
        catch
        {
            Discard(staged);
            foreach (var (_, target) in staged)
                DeleteIfPresent(target);
            throw;
        }
        TryTouch(entry);
        return true;
    }

    private static (Dictionary<string, (long Size, string Hash)> Files, List<DataFileHash> Data) ReadManifest(string path)
    {
        var files = new Dictionary<string, (long Size, string Hash)>(StringComparer.Ordinal);
        var data = new List<DataFileHash>();
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0 || lines[0] != ManifestHeader)
            return (files, data);
        foreach (var fields in lines.Skip(1).Select(line => line.Split('\t')))
        {
            if (fields[0] == "data" && fields.Length == 3)
                data.Add(new DataFileHash(fields[1], fields[2]));
            else if (fields[0] == "file" && fields.Length == 4 && long.TryParse(fields[2], out var size))
                files[fields[1]] = (size, fields[3]);
        }
        return (files, data);
    }

    private static string TemporaryBeside(string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        return target + ".cache-" + Guid.NewGuid().ToString("N") + ".tmp";
    }

    // netstandard2.0 has no File.Move with overwrite; File.Replace swaps in place where the target exists.
    private static void MoveIntoPlace(string temporary, string target)
    {
        if (File.Exists(target))
            File.Replace(temporary, target, null);
        else
            File.Move(temporary, target);
    }

    private static void Discard(IEnumerable<(string Temporary, string Target)> staged)
    {
        foreach (var (temporary, _) in staged)
            DeleteIfPresent(temporary);
    }

    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
    }

    // A damaged entry is removed so the next successful run can store a sound one under the same key.
    private static void DeleteEntry(string entry)
    {
        try
        {
            Directory.Delete(entry, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryTouch(string entry)
    {
        try
        {
            Directory.SetLastWriteTimeUtc(entry, DateTime.UtcNow);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
