using System.Runtime.InteropServices;
using System.Text;
using ModelBuild.Compression.Data;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Accuracy.Data;

public sealed class NpyReaderTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    [Fact]
    public void Reads_float32_in_c_order_with_its_shape()
    {
        float[] values = [1.5f, -2f, 3.25f, 0f, 1e-3f, 7f];
        var path = Write("<f4", "(2, 3)", MemoryMarshal.AsBytes<float>(values).ToArray());

        var array = NpyReader.Read(path);

        Assert.Equal([2, 3], array.Shape);
        Assert.Equal(values, array.AsFloat32());
    }

    [Fact]
    public void Reads_uint8_and_widens_it_to_float32()
    {
        var path = Write("|u1", "(4,)", [0, 1, 128, 255]);

        var array = NpyReader.Read(path);

        Assert.Equal(NpyElementType.UInt8, array.ElementType);
        Assert.Equal([0f, 1f, 128f, 255f], array.ToFloat32());
    }

    [Fact]
    public void Reads_int64_labels()
    {
        long[] values = [3, -1, 1L << 40];
        var path = Write("<i8", "(3,)", MemoryMarshal.AsBytes<long>(values).ToArray());

        Assert.Equal(values, NpyReader.Read(path).AsInt64());
    }

    [Fact]
    public void A_batch_splits_into_batch_1_samples_widened_to_float32()
    {
        var path = Write("|u1", "(2, 1, 2, 2)", [1, 2, 3, 4, 5, 6, 7, 8]);

        var samples = NpyReader.Read(path).ToSamples();

        Assert.Equal(2, samples.Count);
        Assert.Equal([1L, 1, 2, 2], samples[1].Shape);
        Assert.Equal([5f, 6f, 7f, 8f], samples[1].Values);
    }

    [Fact]
    public void Asking_for_the_wrong_element_type_names_both_types()
    {
        var path = Write("|u1", "(1,)", [9]);

        var error = Assert.Throws<DataFileException>(() => NpyReader.Read(path).AsFloat32());

        Assert.Contains("expected Float32, found UInt8", error.Message);
    }

    [Theory]
    [InlineData("<f8", "'<f4', '|u1' or '<i8'")]
    [InlineData(">f4", "'<f4', '|u1' or '<i8'")]
    public void Unsupported_element_types_are_refused(string descr, string expected)
    {
        var path = Write(descr, "(1,)", new byte[8]);

        var error = Assert.Throws<DataFileException>(() => NpyReader.Read(path));

        Assert.Contains(expected, error.Message);
        Assert.Contains($"'{descr}'", error.Message);
    }

    [Fact]
    public void Fortran_order_is_refused()
    {
        var path = Write("<f4", "(2, 2)", new byte[16], fortranOrder: true);

        var error = Assert.Throws<DataFileException>(() => NpyReader.Read(path));

        Assert.Contains("C order", error.Message);
    }

    [Fact]
    public void Data_shorter_than_the_shape_is_refused_with_both_sizes()
    {
        var path = Write("<f4", "(2, 2)", new byte[12]);

        var error = Assert.Throws<DataFileException>(() => NpyReader.Read(path));

        Assert.Contains("16 bytes", error.Message);
        Assert.Contains("found 12 bytes", error.Message);
    }

    [Fact]
    public void A_file_without_the_npy_magic_is_refused()
    {
        var path = folder.File("not.npy");
        File.WriteAllText(path, "just some text");

        var error = Assert.Throws<DataFileException>(() => NpyReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("\\x93NUMPY", error.Message);
    }

    public void Dispose() => folder.Dispose();

    // The layout numpy.save writes for format 1.0: magic, version, header length, dict padded with spaces to 64 bytes.
    private string Write(string descr, string shape, byte[] data, bool fortranOrder = false)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        var headerLength = (((10 + dict.Length + 1 + 63) / 64) * 64) - 10;
        var header = dict.PadRight(headerLength - 1) + "\n";
        var path = folder.File(Guid.NewGuid().ToString("N") + ".npy");
        byte[] prefix = [0x93, .. "NUMPY"u8, 1, 0, (byte)(headerLength & 0xFF), (byte)(headerLength >> 8)];
        File.WriteAllBytes(path, [.. prefix, .. Encoding.ASCII.GetBytes(header), .. data]);
        return path;
    }
}
