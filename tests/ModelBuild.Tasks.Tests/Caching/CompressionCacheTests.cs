using ModelBuild.Tasks.Caching;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Caching;

/// <summary>
/// Storing and restoring a model's outputs in a cache folder: whole or not at all, and only while the data files the
/// run read still have the hashes of the entry's data manifest.
/// </summary>
public sealed class CompressionCacheTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly DataFileHash[] Data = [new("data/a.png", "aa"), new("data/b.png", "bb")];
    private readonly TemporaryFolder folder = new();
    private readonly CompressionCache cache;
    // The data files as they are now: what a restore compares the manifest with.
    private readonly Dictionary<string, string> current = Data.ToDictionary(file => file.Path, file => file.Hash);

    public CompressionCacheTests() => cache = new CompressionCache(folder.File("cache"));

    public void Dispose() => folder.Dispose();

    /// <summary>The outputs of one build, under obj/ of <paramref name="build"/>.</summary>
    private IReadOnlyList<CachedFile> Outputs(string build) =>
        CachedCompression.Outputs(folder.File($"{build}/obj/Digits.onnx"), "", "", folder.File($"{build}/obj/Digits.modeldesc"), folder.File($"{build}/obj/Digits.report.md"),
            folder.File($"{build}/obj/Digits.result.json"));

    private static readonly byte[][] Contents =
    [
        [1, 2, 3], "modelbuild-description\t1\n"u8.ToArray(), "# ModelBuild report: digits.onnx\n"u8.ToArray(), "<html></html>"u8.ToArray(),
        """{"format": 1, "warnings": [{"code": "MB2002", "message": "no weights", "origin": "digits.onnx"}]}"""u8.ToArray(),
    ];

    private IReadOnlyList<CachedFile> StoredOutputs(IReadOnlyList<DataFileHash>? data = null, byte[]? model = null)
    {
        var outputs = Outputs("first");
        Directory.CreateDirectory(Path.GetDirectoryName(outputs[0].TargetPath)!);
        for (var i = 0; i < outputs.Count; i++)
            File.WriteAllBytes(outputs[i].TargetPath, i == 0 && model is not null ? model : Contents[i]);
        Assert.True(cache.Store(Key, outputs, data ?? Data));
        return outputs;
    }

    private string? Restore(IReadOnlyList<CachedFile> outputs) =>
        cache.TryRestore(Key, outputs, path => current.TryGetValue(path, out var hash) ? hash : null);

    private string Entry() => Assert.Single(Directory.GetDirectories(cache.KeyPath(Key)));

    [Fact]
    public void Restored_outputs_are_byte_identical_with_the_result_file_that_holds_the_warnings()
    {
        StoredOutputs();
        var second = Outputs("second");

        var entry = Restore(second);

        Assert.Equal(Entry(), entry);
        Assert.Equal(Contents, second.Select(file => File.ReadAllBytes(file.TargetPath)));
        Assert.Equal(["Digits.modeldesc", "Digits.onnx", "Digits.report.html", "Digits.report.md", "Digits.result.json"],
            Directory.GetFiles(folder.File("second/obj")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_store_leaves_one_entry_folder_under_the_key_and_no_temporary_one()
    {
        StoredOutputs();

        Assert.Equal([Key], Directory.GetDirectories(cache.Root).Select(Path.GetFileName));
        Assert.Equal(["entry.txt", "model.modeldesc", "model.onnx", "report.html", "report.md", "result.json"],
            Directory.GetFiles(Entry()).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_second_store_under_the_same_key_and_data_keeps_the_first_entry()
    {
        var outputs = StoredOutputs();
        File.WriteAllBytes(outputs[0].TargetPath, [9, 9, 9]);

        Assert.False(cache.Store(Key, outputs, Data));

        Assert.Equal(Contents[0], File.ReadAllBytes(Path.Combine(Entry(), "model.onnx")));
    }

    [Fact]
    public void A_missing_key_is_a_miss()
    {
        Assert.Null(Restore(Outputs("second")));
    }

    [Theory]
    [InlineData("data/b.png", "changed")]
    [InlineData("data/a.png", "deleted")]
    public void A_data_file_of_the_manifest_that_changed_or_went_is_a_miss_and_the_entry_is_kept(string path, string change)
    {
        StoredOutputs();
        if (change == "deleted") current.Remove(path);
        else current[path] = "cc";
        var second = Outputs("second");

        Assert.Null(Restore(second));

        Assert.All(second, output => Assert.False(File.Exists(output.TargetPath), $"{output.TargetPath} was restored for other data"));
        Assert.True(Directory.Exists(Entry()), "an entry for other data was dropped");
    }

    [Fact]
    public void Entries_for_two_versions_of_the_data_live_side_by_side_and_each_is_found_by_its_data()
    {
        StoredOutputs(Data, model: [1, 1, 1]);
        StoredOutputs([Data[0], new("data/b.png", "b2")], model: [2, 2, 2]);
        Assert.Equal(2, Directory.GetDirectories(cache.KeyPath(Key)).Length);
        var second = Outputs("second");

        Assert.NotNull(Restore(second));
        Assert.Equal([1, 1, 1], File.ReadAllBytes(second[0].TargetPath));

        current["data/b.png"] = "b2";
        Assert.NotNull(Restore(second));
        Assert.Equal([2, 2, 2], File.ReadAllBytes(second[0].TargetPath));
    }

    [Theory]
    [InlineData("model.modeldesc", "delete")]
    [InlineData("report.html", "truncate")]
    [InlineData("model.onnx", "alter")]
    [InlineData("result.json", "alter")]
    [InlineData("entry.txt", "delete")]
    public void A_damaged_entry_is_a_miss_that_restores_nothing_and_is_dropped(string file, string damage)
    {
        StoredOutputs();
        var entry = Entry();
        var path = Path.Combine(entry, file);
        switch (damage)
        {
            case "delete": File.Delete(path); break;
            case "truncate": File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]); break;
            default: File.WriteAllBytes(path, [1, 2, 4]); break;
        }
        var second = Outputs("second");

        var restored = Restore(second);

        Assert.Null(restored);
        Assert.All(second, output => Assert.False(File.Exists(output.TargetPath), $"{output.TargetPath} was restored from a damaged entry"));
        Assert.False(Directory.Exists(folder.File("second/obj")) && Directory.EnumerateFiles(folder.File("second/obj")).Any(), "temporary files were left beside the outputs");
        // Dropped, so the next successful run can store a sound entry under the same key.
        Assert.False(Directory.Exists(entry));
    }

    [Fact]
    public void A_restore_replaces_outputs_that_are_already_there()
    {
        StoredOutputs();
        var second = Outputs("second");
        Directory.CreateDirectory(Path.GetDirectoryName(second[0].TargetPath)!);
        File.WriteAllBytes(second[0].TargetPath, [7, 7]);

        Assert.NotNull(Restore(second));

        Assert.Equal(Contents[0], File.ReadAllBytes(second[0].TargetPath));
    }

    [Fact]
    public void Outputs_without_a_report_are_the_model_its_description_and_the_result_file()
    {
        var outputs = CachedCompression.Outputs("a/Digits.onnx", "", "", "a/Digits.modeldesc", "", "a/Digits.result.json");

        Assert.Equal(["model.onnx", "model.modeldesc", "result.json"], outputs.Select(o => o.EntryName));
    }

    [Fact]
    public void Outputs_of_a_packed_recipe_hold_the_container_and_the_onnx_it_decodes_to()
    {
        var outputs = CachedCompression.Outputs("a/Digits.mbc", "a/Digits.decoded.onnx", "", "a/Digits.modeldesc", "", "a/Digits.result.json");

        Assert.Equal([("model.onnx", "a/Digits.mbc"), ("model.modeldesc", "a/Digits.modeldesc"), ("model.decoded.onnx", "a/Digits.decoded.onnx"), ("result.json", "a/Digits.result.json")],
            outputs.Select(o => (o.EntryName, o.TargetPath)));
    }

    [Fact]
    public void Auto_s_container_is_optional_kept_when_written_and_removed_by_a_restore_of_an_entry_without_it()
    {
        List<CachedFile> AutoOutputs(string build) =>
            [.. CachedCompression.Outputs(folder.File($"{build}/obj/Digits.onnx"), "", folder.File($"{build}/obj/Digits.mbc"), folder.File($"{build}/obj/Digits.modeldesc"), "", folder.File($"{build}/obj/Digits.result.json"))];
        var first = AutoOutputs("first");
        Assert.True(Assert.Single(first, f => f.EntryName == "model.mbc").Optional);
        Directory.CreateDirectory(folder.File("first/obj"));
        foreach (var file in first.Where(f => !f.Optional)) File.WriteAllBytes(file.TargetPath, [1, 2]);

        // A plain choice: stored without the container; a restore removes a container an older run left.
        Assert.True(cache.Store(Key, first, Data));
        var second = AutoOutputs("second");
        Directory.CreateDirectory(folder.File("second/obj"));
        File.WriteAllBytes(folder.File("second/obj/Digits.mbc"), [9]);
        Assert.NotNull(Restore(second));
        Assert.False(File.Exists(folder.File("second/obj/Digits.mbc")), "a stale container survived the restore");
        Assert.Equal([1, 2], File.ReadAllBytes(folder.File("second/obj/Digits.onnx")));
    }
}
