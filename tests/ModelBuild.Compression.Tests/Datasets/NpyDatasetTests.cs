using System.Text;
using ModelBuild.Compression.Datasets;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Datasets;

public sealed class NpyDatasetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("modelbuild-npy-").FullName;
    private readonly ModelInputLayout layout = ModelInputLayout.Of(TestModels.ConvClassifier());

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_batch_array_and_a_label_array_give_labeled_inputs()
    {
        var inputs = Path.Combine(folder, "x.npy");
        var labels = Path.Combine(folder, "y.npy");
        WriteNpy(inputs, "<f4", "(2, 1, 8, 8)", Enumerable.Range(0, 128).SelectMany(i => BitConverter.GetBytes(i / 128f)).ToArray());
        WriteNpy(labels, "<i8", "(2,)", [.. BitConverter.GetBytes(3L), .. BitConverter.GetBytes(1L)]);

        var data = DatasetLoader.Load($"{inputs};{labels}", layout, PreprocessingSpec.Parse(null, layout, "m.onnx"));

        Assert.Equal([3, 1], data.Labels!);
        Assert.Equal([1L, 1, 8, 8], data.Inputs[1].Shape);
        Assert.Equal(64 / 128f, data.Inputs[1].Values[0]);
    }

    [Fact]
    public void An_array_of_the_wrong_shape_is_MB1013_naming_the_sample()
    {
        var inputs = Path.Combine(folder, "x.npy");
        WriteNpy(inputs, "<f4", "(1, 1, 4, 4)", new byte[16 * 4]);

        var error = Assert.Throws<CompressionException>(() => DatasetLoader.Load(inputs, layout, PreprocessingSpec.Parse(null, layout, "m.onnx")));

        Assert.Equal("MB1013", error.Code);
        Assert.Equal($"{inputs}[0]", error.Origin);
    }

    private static void WriteNpy(string path, string type, string shape, byte[] data)
    {
        var header = $"{{'descr': '{type}', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(((header.Length + 11) / 64 * 64) + 63 - 10) + "\n";
        using var file = File.Create(path);
        file.Write([0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 1, 0]);
        file.Write(BitConverter.GetBytes((ushort)header.Length));
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(data);
    }
}
