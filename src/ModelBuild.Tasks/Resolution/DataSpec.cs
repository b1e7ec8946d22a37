using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ModelBuild.Tasks.Resolution;

/// <summary>
/// A <c>CalibrationData</c> / <c>EvaluationData</c> value: items separated by ';', each a folder, a file, or a file
/// pattern with '*' / '?' in the file name (docs/internals.md). The task makes every item absolute (relative to the
/// project file) for the CLI, and lists the files it names so that adding or removing one changes the settings stamp.
/// </summary>
internal sealed class DataSpec
{
    private readonly string[] _items;

    private DataSpec(string[] items) => _items = items;

    public static DataSpec Parse(string value, string projectDirectory) =>
        new(value.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(item => item.Trim())
            .Where(item => item.Length > 0)
            .Select(item => Absolute(item, projectDirectory))
            .ToArray());

    public bool IsEmpty => _items.Length == 0;

    /// <summary>The value handed to the CLI.</summary>
    public override string ToString() => string.Join(";", _items);

    /// <summary>
    /// The files this value names, sorted: folders listed (with their subfolders), patterns matched, files as they
    /// are. Nothing is parsed: which files a CSV or labels.json lists, the CLI's result file says after a run. A path
    /// that matches nothing is left out here: the CLI reports it (MB1012) with the path as the origin.
    /// </summary>
    public IEnumerable<string> Files()
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in _items)
        {
            if (Directory.Exists(item))
                files.UnionWith(Directory.EnumerateFiles(item, "*", SearchOption.AllDirectories));
            else if (IsPattern(item))
                files.UnionWith(MatchPattern(item));
            else if (File.Exists(item))
                files.Add(item);
        }
        return files;
    }

    // Wildcards are allowed in the file name only; GetFullPath would reject them on .NET Framework.
    private static string Absolute(string item, string projectDirectory)
    {
        var folder = Path.GetDirectoryName(item) ?? "";
        var name = Path.GetFileName(item);
        var fullFolder = Path.GetFullPath(Path.Combine(projectDirectory, folder));
        return name.Length == 0 ? fullFolder : Path.Combine(fullFolder, name);
    }

    private static bool IsPattern(string item) => Path.GetFileName(item).IndexOfAny(new[] { '*', '?' }) >= 0;

    private static IEnumerable<string> MatchPattern(string pattern)
    {
        var folder = Path.GetDirectoryName(pattern)!;
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, Path.GetFileName(pattern)) : Enumerable.Empty<string>();
    }
}
