using ModelBuild.Compression.Packing;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Runtime;
using ModelBuild.TestSupport;
using Microsoft.ML.OnnxRuntime;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>What the generated class does with its resource before the session: a container decoded (ONNX Runtime's environment started meanwhile on another thread), plain ONNX as it is.</summary>
public sealed class ResourceDecoderTests
{
    [Fact]
    public void A_container_decodes_to_its_model_and_the_environment_is_ready_after_it()
    {
        var model = ModelFacts.Bytes(ExtraModels.WideConv());
        var container = ModelContainerWriter.Write(model);

        var decoded = ResourceDecoder.Decode(container, "Models.Wide.onnx");

        Assert.Equal(model, decoded);
        Assert.True(OrtEnv.IsCreated);
        using var session = new InferenceSession(decoded);
        Assert.Equal("y", Assert.Single(session.OutputMetadata.Keys));
    }

    [Fact]
    public void Plain_onnx_is_returned_as_it_is()
    {
        var model = ModelFacts.Bytes(ExtraModels.WideConv());

        Assert.Same(model, ResourceDecoder.Decode(model, "Models.Wide.onnx"));
    }

    [Fact]
    public void A_damaged_container_is_InvalidDataException_naming_the_resource()
    {
        var container = ModelContainerWriter.Write(ModelFacts.Bytes(ExtraModels.WideConv()));
        container[^1] ^= 0x55;

        var error = Assert.Throws<InvalidDataException>(() => ResourceDecoder.Decode(container, "Models.Wide.onnx"));

        Assert.StartsWith("Embedded model 'Models.Wide.onnx' cannot be decoded: ModelBuild container is damaged", error.Message);
    }
}
