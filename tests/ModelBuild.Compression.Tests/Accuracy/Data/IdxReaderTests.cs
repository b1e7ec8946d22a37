using System.Buffers.Binary;
using System.IO.Compression;
using ModelBuild.Compression.Data;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Accuracy.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_and_labels_plain_or_gzipped(bool gzip)
    {
        byte[] pixels = [.. Enumerable.Range(0, 12).Select(i => (byte)(i * 20))];
        var images = Write("images", Idx([2, 2, 3], pixels), gzip);
        var labels = Write("labels", Idx([2], [7, 3]), gzip);

        var decoded = IdxReader.Read(images).ToImages();

        Assert.Equal(2, decoded.Count);
        Assert.Equal((3, 2, 1), (decoded[1].Width, decoded[1].Height, decoded[1].Channels));
        Assert.Equal(pixels[6..], decoded[1].Pixels);
        Assert.Equal([7, 3], IdxReader.Read(labels).ToLabels());
    }

    [Fact]
    public void A_wrong_magic_names_the_file_and_the_expected_magic()
    {
        var path = Write("bad", [0x1F, 0x00, 0x08, 0x01, 0, 0, 0, 0], gzip: false);

        var error = Assert.Throws<DataFileException>(() => IdxReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("MB1010", error.Message);
        Assert.Contains("00 00 <type> <rank>", error.Message);
        Assert.Contains("1F000801", error.Message);
    }

    [Fact]
    public void A_non_byte_element_type_is_refused_with_the_type_found()
    {
        var path = Write("floats", [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], gzip: false);

        var error = Assert.Throws<DataFileException>(() => IdxReader.Read(path));

        Assert.Contains("0x08 (unsigned byte)", error.Message);
        Assert.Contains("0x0D", error.Message);
    }

    [Fact]
    public void Truncated_data_reports_the_expected_and_found_sizes()
    {
        var path = Write("short", Idx([2, 2, 2], new byte[8])[..^3], gzip: false);

        var error = Assert.Throws<DataFileException>(() => IdxReader.Read(path));

        Assert.Contains("8 values for [2, 2, 2]", error.Message);
        Assert.Contains("5 bytes after the header", error.Message);
    }

    [Fact]
    public void Labels_that_do_not_match_the_images_in_count_are_refused()
    {
        var images = Write("images", Idx([2, 1, 1], [1, 2]), gzip: false);
        var labels = Write("labels", Idx([3], [0, 1, 2]), gzip: false);

        var error = Assert.Throws<DataFileException>(() => LabeledDatasets.FromIdx(images, labels, new Preprocessing { Color = ImageColor.Grey }));

        Assert.Equal(labels, error.FilePath);
    }

    public void Dispose() => folder.Dispose();

    private static byte[] Idx(int[] dimensions, byte[] values)
    {
        var header = new byte[4 + (4 * dimensions.Length)];
        header[2] = 0x08;
        header[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), dimensions[i]);
        return [.. header, .. values];
    }

    private string Write(string name, byte[] content, bool gzip)
    {
        var path = folder.File(gzip ? name + ".gz" : name);
        using var file = File.Create(path);
        using var output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file;
        output.Write(content);
        return path;
    }
}
