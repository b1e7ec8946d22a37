using ModelBuild.Compression;
using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.Runtime;
using ModelBuild.TestSupport;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>
/// A generated class whose resource is a ModelBuild container (a <c>+huffman</c> recipe): it decodes the container
/// before creating the session and runs exactly as the plain model; a damaged resource fails its constructor with an
/// <see cref="InvalidDataException"/> naming the resource.
/// </summary>
public sealed class PackedModelConsumptionTests
{
    private const string AppSource = """
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static Packed Create() => new Packed();

                public static float[] Run(Packed model, float[] features) => model.Run(features, 1).Output.Data;

                public static ModelBuild.Runtime.ModelInfo Info() => Packed.Info;
            }
        }
        """;

    [Fact]
    public void The_class_decodes_its_container_and_runs_like_the_int8_dynamic_model()
    {
        var result = ModelCompressor.Compress(TestModels.MatMulModel(), Recipe.Parse("int8-dynamic+huffman"));
        var container = result.Container!;
        var plain = Google.Protobuf.MessageExtensions.ToByteArray(result.Model);
        var app = CompiledApp.Build("Packed", result.Model, AppSource, embeddedBytes: container);
        using var model = (IDisposable)app.Call("App.Calls", "Create")!;

        var info = (ModelInfo)app.Call("App.Calls", "Info")!;
        Assert.Equal(container.Length, info.StoredBytes);
        Assert.Equal(plain.Length, info.DecodedBytes);
        Assert.True(info.StoredBytes < info.DecodedBytes);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var inputs = RandomInputs.For(result.Model, seed: seed);
            var expected = OrtRunner.Run(plain, inputs)["output"].Data;
            var actual = (float[])app.Call("App.Calls", "Run", model, (float[])inputs["features"].Data)!;
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_damaged_container_fails_the_constructor_naming_the_resource()
    {
        var result = ModelCompressor.Compress(TestModels.MatMulModel(), Recipe.Huffman);
        var damaged = (byte[])result.Container!.Clone();
        damaged[^3] ^= 0x10;
        var app = CompiledApp.Build("Packed", result.Model, AppSource, embeddedBytes: damaged);

        var error = Assert.Throws<InvalidDataException>(() => app.Call("App.Calls", "Create"));

        Assert.Contains("Embedded model 'ModelBuild.Sample.Models.Packed.onnx' cannot be decoded", error.Message);
        Assert.Contains("ModelBuild container is damaged at byte", error.Message);
    }
}
