using Google.Protobuf;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

public class ExternalDataTests
{
    [Fact]
    public void Without_a_length_key_the_dims_say_how_much_to_read()
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        foreach (var tensor in model.Graph.Initializer)
            tensor.ExternalData.Remove(tensor.ExternalData.Single(e => e.Key == "length"));
        File.WriteAllBytes(path, model.ToByteArray());

        Assert.Equal(TestModels.MatMulModel(), OnnxModelFile.Load(path));
    }

    [Fact]
    public void A_loaded_model_saved_again_no_longer_needs_the_data_file()
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        var copy = folder.File("copy.onnx");

        OnnxModelFile.SaveAtomic(OnnxModelFile.Load(path), copy);
        File.Delete(folder.File("external.weights"));

        Assert.Equal(TestModels.MatMulModel(), OnnxModelFile.Load(copy));
        Assert.Equal("MB1008", Assert.Throws<OnnxModelException>(() => OnnxModelFile.Load(path)).Code);
    }

    [Fact]
    public void Stored_bytes_of_an_unloaded_tensor_come_from_its_external_length()
    {
        using var folder = new TemporaryFolder();
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(TestModels.ExternalDataModel(folder.Path)));

        var weight = model.Graph.Initializer.Single(t => t.Name == "dense1.weight");

        Assert.Equal(TensorProto.Types.DataLocation.External, weight.DataLocation);
        Assert.Equal(16 * 32 * 4, TensorData.StoredBytes(weight));
    }
}
