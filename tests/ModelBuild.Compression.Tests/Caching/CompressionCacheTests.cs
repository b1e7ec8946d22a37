using ModelBuild.Tasks.Caching;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Caching;

/// <summary>Storing and restoring a model's outputs in a cache folder: whole or not at all.</summary>
public sealed class CompressionCacheTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TemporaryFolder folder = new();
    private readonly CompressionCache cache;

    public CompressionCacheTests() => cache = new CompressionCache(folder.File("cache"));

    public void Dispose() => folder.Dispose();

    /// <summary>The outputs of one build, under obj/ of <paramref name="build"/>.</summary>
    private IReadOnlyList<CachedFile> Outputs(string build) =>
        CachedCompression.Outputs(folder.File($"{build}/obj/Digits.onnx"), folder.File($"{build}/obj/Digits.modeldesc"), folder.File($"{build}/obj/Digits.report.md"));

    private static readonly byte[][] Contents = [[1, 2, 3], "modelbuild-description\t1\n"u8.ToArray(), "# ModelBuild report: digits.onnx\n"u8.ToArray(), "<html></html>"u8.ToArray()];

    private IReadOnlyList<CachedFile> StoredOutputs()
    {
        var outputs = Outputs("first");
        Directory.CreateDirectory(Path.GetDirectoryName(outputs[0].TargetPath)!);
        for (var i = 0; i < outputs.Count; i++)
            File.WriteAllBytes(outputs[i].TargetPath, Contents[i]);
        Assert.True(cache.Store(Key, outputs, ["model.onnx: warning MB2002: no weights"]));
        return outputs;
    }

    [Fact]
    public void Restored_outputs_are_byte_identical_and_the_warnings_come_back()
    {
        StoredOutputs();
        var second = Outputs("second");

        var warnings = cache.TryRestore(Key, second);

        Assert.Equal(["model.onnx: warning MB2002: no weights"], warnings);
        Assert.Equal(Contents, second.Select(file => File.ReadAllBytes(file.TargetPath)));
        Assert.Equal(["Digits.modeldesc", "Digits.onnx", "Digits.report.html", "Digits.report.md"],
            Directory.GetFiles(folder.File("second/obj")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_store_leaves_one_entry_folder_and_no_temporary_one()
    {
        StoredOutputs();

        Assert.Equal([Key], Directory.GetDirectories(cache.Root).Select(Path.GetFileName));
        Assert.Equal(["entry.txt", "model.modeldesc", "model.onnx", "report.html", "report.md"],
            Directory.GetFiles(cache.EntryPath(Key)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_second_store_under_the_same_key_keeps_the_first_entry()
    {
        var outputs = StoredOutputs();
        File.WriteAllBytes(outputs[0].TargetPath, [9, 9, 9]);

        Assert.False(cache.Store(Key, outputs, []));

        Assert.Equal(Contents[0], File.ReadAllBytes(Path.Combine(cache.EntryPath(Key), "model.onnx")));
        Assert.Single(Directory.GetDirectories(cache.Root));
    }

    [Fact]
    public void A_missing_key_is_a_miss()
    {
        Assert.Null(cache.TryRestore(Key, Outputs("second")));
    }

    [Theory]
    [InlineData("model.modeldesc", "delete")]
    [InlineData("report.html", "truncate")]
    [InlineData("model.onnx", "alter")]
    [InlineData("entry.txt", "delete")]
    public void A_damaged_entry_is_a_miss_that_restores_nothing_and_is_dropped(string file, string damage)
    {
        StoredOutputs();
        var path = Path.Combine(cache.EntryPath(Key), file);
        switch (damage)
        {
            case "delete": File.Delete(path); break;
            case "truncate": File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]); break;
            default: File.WriteAllBytes(path, [1, 2, 4]); break;
        }
        var second = Outputs("second");

        var warnings = cache.TryRestore(Key, second);

        Assert.Null(warnings);
        Assert.All(second, output => Assert.False(File.Exists(output.TargetPath), $"{output.TargetPath} was restored from a damaged entry"));
        Assert.False(Directory.Exists(folder.File("second/obj")) && Directory.EnumerateFiles(folder.File("second/obj")).Any(), "temporary files were left beside the outputs");
        // Dropped, so the next successful run can store a sound entry under the same key.
        Assert.False(Directory.Exists(cache.EntryPath(Key)));
    }

    [Fact]
    public void A_restore_replaces_outputs_that_are_already_there()
    {
        StoredOutputs();
        var second = Outputs("second");
        Directory.CreateDirectory(Path.GetDirectoryName(second[0].TargetPath)!);
        File.WriteAllBytes(second[0].TargetPath, [7, 7]);

        Assert.NotNull(cache.TryRestore(Key, second));

        Assert.Equal(Contents[0], File.ReadAllBytes(second[0].TargetPath));
    }

    [Fact]
    public void Outputs_without_a_report_are_the_model_and_its_description()
    {
        var outputs = CachedCompression.Outputs("a/Digits.onnx", "a/Digits.modeldesc", "");

        Assert.Equal(["model.onnx", "model.modeldesc"], outputs.Select(o => o.EntryName));
    }
}
