using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

public class AtomicWriteTests
{
    [Fact]
    public void Writes_a_new_file_and_replaces_an_old_one_leaving_no_temp_files()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("out.onnx");

        OnnxModelFile.WriteAllBytesAtomic(path, [1, 2, 3]);
        OnnxModelFile.WriteAllBytesAtomic(path, [4, 5]);

        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Creates_the_target_folder()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "a", "b", "model.onnx");

        OnnxModelFile.SaveAtomic(TestModels.MatMulModel(), path);

        Assert.Equal(TestModels.MatMulModel(), OnnxModelFile.Load(path));
    }

    [Fact]
    public void A_target_that_is_a_folder_is_MB1009_and_leaves_nothing_behind()
    {
        using var folder = new TemporaryFolder();
        var target = Directory.CreateDirectory(folder.File("taken.onnx")).FullName;

        var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.SaveAtomic(TestModels.MatMulModel(), target));

        Assert.Equal("MB1009", error.Code);
        Assert.Equal(target, error.FilePath);
        Assert.Empty(Directory.GetFiles(folder.Path));
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public void A_parent_that_is_a_file_is_MB1009()
    {
        using var folder = new TemporaryFolder();
        var blocker = folder.File("not-a-folder");
        File.WriteAllText(blocker, "x");

        var error = Assert.Throws<OnnxModelException>(() =>
            OnnxModelFile.WriteAllBytesAtomic(Path.Combine(blocker, "model.onnx"), [1]));

        Assert.Equal("MB1009", error.Code);
        Assert.Contains("could not be written", error.Detail);
        Assert.Equal([blocker], Directory.GetFiles(folder.Path));
    }
}
