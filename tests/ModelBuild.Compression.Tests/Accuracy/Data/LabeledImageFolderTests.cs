using ModelBuild.Compression.Data;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Accuracy.Data;

public sealed class LabeledImageFolderTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    [Fact]
    public void Class_indices_follow_the_ordinal_order_of_the_sub_folder_names()
    {
        // Ordinal order puts upper case first: "Zebra" < "ant" < "cat".
        WriteImage("cat/2.png", 1);
        WriteImage("cat/1.png", 2);
        WriteImage("ant/a.png", 3);
        WriteImage("Zebra/z.png", 4);
        File.WriteAllText(folder.File("cat/notes.txt"), "not an image");

        var images = LabeledImageFolder.FromSubfolders(folder.Path);

        Assert.Equal(["Zebra", "ant", "cat"], images.ClassNames);
        Assert.Equal(["Zebra/z.png", "ant/a.png", "cat/1.png", "cat/2.png"], images.Files.Select(Relative));
        Assert.Equal([0, 1, 2, 2], images.Files.Select(file => file.Label));
    }

    [Fact]
    public void A_csv_gives_files_relative_to_its_folder_and_their_labels()
    {
        WriteImage("b.png", 1);
        WriteImage("a.png", 2);
        File.WriteAllText(folder.File("labels.csv"), "b.png,472\na.png,0\n");

        var images = LabeledImageFolder.FromCsv(folder.File("labels.csv"));

        Assert.Empty(images.ClassNames);
        Assert.Equal(["b.png", "a.png"], images.Files.Select(Relative));
        Assert.Equal([472, 0], images.Files.Select(file => file.Label));
    }

    [Fact]
    public void A_csv_line_without_a_numeric_label_names_the_line()
    {
        WriteImage("a.png", 1);
        File.WriteAllText(folder.File("labels.csv"), "a.png,0\na.png,cat\n");

        var error = Assert.Throws<DataFileException>(() => LabeledImageFolder.FromCsv(folder.File("labels.csv")));

        Assert.Equal(folder.File("labels.csv") + "(2)", error.FilePath);
        Assert.Contains("\"a.png,cat\"", error.Message);
    }

    [Fact]
    public void A_csv_naming_a_missing_image_is_refused()
    {
        File.WriteAllText(folder.File("labels.csv"), "gone.png,1\n");

        var error = Assert.Throws<DataFileException>(() => LabeledImageFolder.FromCsv(folder.File("labels.csv")));

        Assert.Contains("gone.png", error.Message);
    }

    [Fact]
    public void Images_are_decoded_and_preprocessed_with_their_labels()
    {
        WriteImage("dog/1.png", 100);
        WriteImage("cat/1.png", 200);

        var data = LabeledDatasets.FromImages(LabeledImageFolder.FromSubfolders(folder.Path), new Preprocessing());

        Assert.Equal([0, 1], data.Select(sample => sample.Label));
        Assert.Equal([1L, 3, 2, 2], data[0].Input.Shape);
        Assert.All(data[0].Input.Values, value => Assert.Equal(200 / 255f, value, 1e-6f));
        Assert.All(data[1].Input.Values, value => Assert.Equal(100 / 255f, value, 1e-6f));
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_refused_with_its_path()
    {
        var path = folder.File("broken.png");
        File.WriteAllText(path, "this is not a PNG");

        var error = Assert.Throws<DataFileException>(() => ImageDecoder.Decode(path, ImageColor.Rgb));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("a JPEG, PNG or BMP file", error.Message);
    }

    [Fact]
    public void A_missing_image_is_refused_with_its_path()
    {
        var path = folder.File("missing.jpg");

        var error = Assert.Throws<DataFileException>(() => new Preprocessing().Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("MB1010", error.Message);
    }

    public void Dispose() => folder.Dispose();

    private string Relative(LabeledFile file) => Path.GetRelativePath(folder.Path, file.Path).Replace('\\', '/');

    // A 2x2 image of one grey level.
    private void WriteImage(string relativePath, byte level)
    {
        var path = folder.File(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        TestPngWriter.WriteRgb(path, 2, 2, Enumerable.Repeat(level, 12).ToArray());
    }
}
