using System.Buffers.Binary;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Tests.Accuracy.Data;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Datasets;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 12, seed: 7, classCount: 4);
    private readonly ModelInputLayout layout = ModelInputLayout.Of(TestModels.ConvClassifier());

    public void Dispose() => images.Dispose();

    private DatasetPreprocessing Defaults => PreprocessingSpec.Parse(null, layout, images.ModelPath);

    [Fact]
    public void Layout_comes_from_the_models_input_and_output()
    {
        Assert.Equal(new ModelInputLayout("image", 1, 8, 8, false, 4), layout);
    }

    [Fact]
    public void Class_folders_give_labels_by_folder_order_and_inputs_shaped_for_the_model()
    {
        var data = DatasetLoader.Load(images.Labeled, layout, Defaults);

        Assert.Equal(12, data.Count);
        Assert.NotNull(data.Labels);
        for (var i = 0; i < data.Count; i++)
        {
            Assert.Equal([1L, 1, 8, 8], data.Inputs[i].Shape);
            Assert.Equal($"class{data.Labels[i]}", Path.GetFileName(Path.GetDirectoryName(data.Sources[i])));
        }
    }

    [Fact]
    public void A_limited_subset_of_class_folders_takes_the_classes_in_turn()
    {
        var all = DatasetLoader.Load(images.Labeled, layout, Defaults);
        var classes = all.Labels!.Distinct().Count();

        var subset = DatasetLoader.Load(images.Labeled, layout, Defaults, limit: classes);

        Assert.Equal(all.Labels!.Distinct().Order(), subset.Labels!.Order());
    }

    [Fact]
    public void A_pattern_gives_unlabeled_inputs_and_the_limit_keeps_the_first_ones()
    {
        var data = DatasetLoader.Load(Path.Combine(images.Unlabeled, "image000*.png"), layout, Defaults, limit: 3);

        Assert.Null(data.Labels);
        Assert.Equal(["image0000.png", "image0001.png", "image0002.png"], data.Sources.Select(Path.GetFileName));
    }

    [Fact]
    public void A_csv_gives_labels_in_file_order()
    {
        var csv = images.PathOf("labels.csv");
        File.WriteAllLines(csv, ["unlabeled/image0003.png,2", "unlabeled/image0001.png,0"]);

        var data = DatasetLoader.Load(csv, layout, Defaults);

        Assert.Equal([2, 0], data.Labels!);
        Assert.EndsWith("image0003.png", data.Sources[0]);
    }

    [Fact]
    public void A_pattern_that_matches_nothing_is_MB1012_naming_the_pattern()
    {
        var pattern = Path.Combine(images.Unlabeled, "*.jpeg");

        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(pattern, layout, Defaults));

        Assert.Equal("MB1012", error.Code);
        Assert.Equal(pattern, error.Origin);
    }

    [Fact]
    public void A_missing_path_is_MB1012_naming_it()
    {
        var missing = images.PathOf("no-such-folder");

        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(missing, layout, Defaults));

        Assert.Equal("MB1012", error.Code);
        Assert.Equal(missing, error.Origin);
    }

    [Fact]
    public void An_undecodable_image_is_MB1010_naming_the_file()
    {
        var broken = Path.Combine(images.Unlabeled, "image9999.png");
        File.WriteAllBytes(broken, [1, 2, 3, 4, 5]);

        var error = Assert.Throws<DataFileException>(() => DatasetLoader.Load(images.Unlabeled, layout, Defaults));

        Assert.Equal(broken, error.FilePath);
    }

    [Fact]
    public void An_image_of_another_size_is_MB1013_naming_the_file_until_resize_is_given()
    {
        var large = images.PathOf("large.png");
        TestPngWriter.WriteRgb(large, 16, 12, new byte[16 * 12 * 3]);

        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(large, layout, Defaults));
        var resized = DatasetLoader.Load(large, layout, PreprocessingSpec.Parse("resize=8x8", layout, images.ModelPath));

        Assert.Equal("MB1013", error.Code);
        Assert.Equal(large, error.Origin);
        Assert.Contains("1x8x8 (CxHxW)", error.Message);
        Assert.Equal([1L, 1, 8, 8], resized.Inputs[0].Shape);
    }

    [Fact]
    public void A_label_outside_the_models_classes_is_MB1014_naming_the_file()
    {
        var csv = images.PathOf("labels.csv");
        File.WriteAllLines(csv, ["unlabeled/image0000.png,1", "unlabeled/image0001.png,4"]);

        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(csv, layout, Defaults));

        Assert.Equal("MB1014", error.Code);
        Assert.EndsWith("image0001.png", error.Origin);
        Assert.Contains("0 to 3", error.Message);
    }

    [Fact]
    public void Idx_images_and_labels_load_together_and_grey_idx_refuses_a_colour_model()
    {
        var imagesPath = images.PathOf("images.idx3");
        var labelsPath = images.PathOf("labels.idx1");
        WriteIdx(imagesPath, [3, 8, 8], Enumerable.Range(0, 3 * 64).Select(i => (byte)i).ToArray());
        WriteIdx(labelsPath, [3], [3, 0, 1]);

        var data = DatasetLoader.Load($"{imagesPath};{labelsPath}", layout, Defaults);
        var colourLayout = layout with { Channels = 3 };
        var colour = PreprocessingSpec.Parse(null, colourLayout, images.ModelPath);
        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(imagesPath, colourLayout, colour));

        Assert.Equal([3, 0, 1], data.Labels!);
        Assert.Equal(65f / 255f, data.Inputs[1].Values[1], 6);
        Assert.Equal("MB1013", error.Code);
        Assert.Equal(imagesPath, error.Origin);
    }

    [Fact]
    public void Labels_that_do_not_cover_every_input_are_MB1010_on_the_label_file()
    {
        var imagesPath = images.PathOf("images.idx3");
        var labelsPath = images.PathOf("labels.idx1");
        WriteIdx(imagesPath, [3, 8, 8], new byte[3 * 64]);
        WriteIdx(labelsPath, [2], [1, 2]);

        var error = Assert.Throws<DataFileException>(() => DatasetLoader.Load($"{imagesPath};{labelsPath}", layout, Defaults));

        Assert.Equal(labelsPath, error.FilePath);
    }

    [Fact]
    public void Streamed_inputs_are_read_one_at_a_time_each_time_they_are_enumerated()
    {
        var stream = DatasetLoader.StreamInputs(images.Unlabeled, layout, Defaults, limit: 5);
        var first = stream.First();
        File.WriteAllBytes(Path.Combine(images.Unlabeled, "image0001.png"), [0, 1, 2]);

        Assert.Equal(1, DatasetLoader.Load(images.Labeled, layout, Defaults).Inputs.Count(i => i.Values.SequenceEqual(first.Values)));
        // The file broken after the first read is only read now: nothing was loaded ahead.
        var error = Assert.Throws<DataFileException>(() => stream.Count());
        Assert.EndsWith("image0001.png", error.FilePath);
    }

    [Fact]
    public void A_stream_over_an_empty_pattern_is_MB1012_when_enumerated()
    {
        var stream = DatasetLoader.StreamInputs(Path.Combine(images.Unlabeled, "*.bmp"), layout, Defaults);

        Assert.Equal("MB1012", Assert.Throws<CompressionException>(() => stream.First()).Code);
    }

    private static void WriteIdx(string path, int[] dimensions, byte[] values)
    {
        using var file = File.Create(path);
        file.Write([0, 0, 0x08, (byte)dimensions.Length]);
        foreach (var dimension in dimensions)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(bytes, dimension);
            file.Write(bytes);
        }
        file.Write(values);
    }
}
