using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ModelBuild.Tasks.Caching;

/// <summary>
/// One model's use of the <see cref="CompressionCache"/> by the compress task: restore its outputs instead of
/// running the CLI, or store them after a successful run. A cache that cannot be read or written never fails the
/// build: the model is compressed as if there were no cache, and the log says why.
/// </summary>
internal sealed class CachedCompression
{
    private readonly CompressionCache _cache;
    private readonly string _key;
    private readonly IReadOnlyList<CachedFile> _files;
    private readonly string _modelPath;
    private readonly string _projectDirectory;
    private readonly TaskLoggingHelper _log;

    private CachedCompression(CompressionCache cache, string key, IReadOnlyList<CachedFile> files, string modelPath, string projectDirectory, TaskLoggingHelper log)
    {
        _cache = cache;
        _key = key;
        _files = files;
        _modelPath = modelPath;
        _projectDirectory = projectDirectory;
        _log = log;
    }

    /// <summary>The entry name of the CLI's result file, which a restore replays (warnings, summary, data files).</summary>
    public const string ResultEntryName = "result.json";

    /// <summary>
    /// The outputs of one model: the compressed model, the ONNX a container decodes to (packed recipes), the container
    /// <c>auto</c> writes when it chooses a packed recipe, its description, the reports when it is measured, and the CLI's result file.
    /// </summary>
    public static IReadOnlyList<CachedFile> Outputs(string compressedPath, string decodedPath, string containerPath, string descriptionPath, string reportPath, string resultPath)
    {
        var files = new List<CachedFile> { new("model.onnx", compressedPath), new("model.modeldesc", descriptionPath) };
        if (decodedPath.Length > 0)
            files.Add(new CachedFile("model.decoded.onnx", decodedPath));
        if (containerPath.Length > 0)
            files.Add(new CachedFile("model.mbc", containerPath, optional: true));
        if (reportPath.Length > 0)
        {
            files.Add(new CachedFile("report.md", reportPath));
            files.Add(new CachedFile("report.html", Path.ChangeExtension(reportPath, ".html")));
        }
        files.Add(new CachedFile(ResultEntryName, resultPath));
        return files;
    }

    /// <summary>Null when the cache is off (<paramref name="enabled"/> is <c>false</c>) or its key cannot be computed.</summary>
    public static CachedCompression? Open(string enabled, string directory, string modelPath, string stampPath,
        string projectDirectory, string cliPath, IReadOnlyList<CachedFile> files, TaskLoggingHelper log)
    {
        if (string.Equals(enabled.Trim(), "false", StringComparison.OrdinalIgnoreCase))
            return null;
        var root = directory.Length > 0 ? directory : CompressionCache.DefaultRoot();
        if (root.Length == 0 || stampPath.Length == 0)
        {
            log.LogMessage(MessageImportance.Normal, $"{modelPath}: no compression cache: {(root.Length == 0 ? "the system has no per-user data folder; set ModelBuildCacheDirectory" : "no settings stamp")}.");
            return null;
        }
        try
        {
            var key = CacheKey.Compute(modelPath, File.ReadAllText(stampPath), projectDirectory, cliPath);
            return new CachedCompression(new CompressionCache(Path.GetFullPath(root)), key, files, modelPath, projectDirectory, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            log.LogMessage(MessageImportance.Normal, $"{modelPath}: no compression cache: its key could not be computed: {e.Message}");
            return null;
        }
    }

    /// <summary>Restores the outputs when the cache holds them for the data files as they are now; false on a miss.</summary>
    public bool TryRestore()
    {
        try
        {
            var hashes = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (_cache.TryRestore(_key, _files, path => hashes.TryGetValue(path, out var hash) ? hash : hashes[path] = CurrentHash(path)) is { } entry)
            {
                var restored = _files.Where(f => f.EntryName != ResultEntryName && File.Exists(f.TargetPath)).Select(f => Path.GetFileName(f.TargetPath));
                _log.LogMessage(MessageImportance.Normal,
                    $"{_modelPath}: restored {string.Join(", ", restored)} from the compression cache (key {_key}, {entry}); the compressor did not run.");
                return true;
            }
            _log.LogMessage(MessageImportance.Normal, $"{_modelPath}: not in the compression cache (key {_key}); compressing.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogMessage(MessageImportance.Normal, $"{_modelPath}: the compression cache entries {_cache.KeyPath(_key)} could not be read ({e.Message}); compressing.");
        }
        return false;
    }

    /// <summary>
    /// Keeps the outputs of a successful run (never of a missed budget: the task does not call this then) with the
    /// data files it read.
    /// </summary>
    public void Store(IEnumerable<string> dataFiles)
    {
        try
        {
            if (_files.Any(file => !file.Optional && !File.Exists(file.TargetPath)))
                return;
            if (_cache.Store(_key, _files, CacheKey.DataManifest(dataFiles, _projectDirectory)))
                _log.LogMessage(MessageImportance.Normal, $"{_modelPath}: stored in the compression cache (key {_key}, {_cache.KeyPath(_key)}).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogMessage(MessageImportance.Normal, $"{_modelPath}: could not store in the compression cache {_cache.Root}: {e.Message}");
        }
    }

    private string? CurrentHash(string manifestPath)
    {
        var path = CacheKey.Locate(manifestPath, _projectDirectory);
        return File.Exists(path) ? CacheKey.FileHash(path) : null;
    }
}
