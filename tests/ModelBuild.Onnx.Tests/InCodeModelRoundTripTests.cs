using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

/// <summary>The in-code models survive save and reload unchanged, and run the same in ONNX Runtime.</summary>
public class InCodeModelRoundTripTests
{
    public static TheoryData<string> ModelNames => new(TestModels.All.Keys);

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Saved_copy_parses_equal_and_runs_the_same(string name)
    {
        var original = TestModels.All[name]();
        using var folder = new TemporaryFolder();
        var path = folder.File($"{name}.onnx");

        OnnxModelFile.SaveAtomic(original, path);
        var reloaded = OnnxModelFile.Load(path);

        Assert.Equal(original, reloaded);
        Assert.Equal(OnnxModelFile.ToBytes(original), File.ReadAllBytes(path));
        var inputs = RandomInputs.For(original, seed: 7, dynamicSize: 3);
        var expected = OrtRunner.Run(OnnxModelFile.ToBytes(original), inputs);
        Assert.NotEmpty(expected);
        OutputAssert.Same(expected, OrtRunner.Run(File.ReadAllBytes(path), inputs));
    }

    [Fact]
    public void External_data_is_read_into_memory_and_the_saved_copy_runs_the_same()
    {
        using var folder = new TemporaryFolder();
        var externalPath = TestModels.ExternalDataModel(folder.Path);

        var loaded = OnnxModelFile.Load(externalPath);

        Assert.All(loaded.Graph.Initializer, t =>
        {
            Assert.Equal(Protobuf.TensorProto.Types.DataLocation.Default, t.DataLocation);
            Assert.Empty(t.ExternalData);
        });
        Assert.Equal(TestModels.MatMulModel(), loaded);
        var selfContained = folder.File("self-contained.onnx");
        OnnxModelFile.SaveAtomic(loaded, selfContained);
        var inputs = RandomInputs.For(loaded, seed: 11, dynamicSize: 2);
        OutputAssert.Same(OrtRunner.Run(externalPath, inputs), OrtRunner.Run(File.ReadAllBytes(selfContained), inputs));
    }

    [Fact]
    public void Hoisting_constants_makes_initializers_and_keeps_outputs()
    {
        var model = TestModels.ConstantWeightsModel();
        var before = OnnxModelFile.ToBytes(model);
        Assert.Empty(model.Graph.Initializer);

        var hoisted = OnnxGraph.HoistConstants(model);

        Assert.Equal(6, hoisted);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Constant");
        Assert.Equal(["conv_w", "conv_b", "fc_w", "fc_b", "flat_shape", "scale"], model.Graph.Initializer.Select(t => t.Name));
        Assert.Equal([0L, -1L], TensorData.ReadInt64s(model.Graph.Initializer.Single(t => t.Name == "flat_shape")));
        Assert.Equal([0.5f], TensorData.ReadFloats(model.Graph.Initializer.Single(t => t.Name == "scale")));
        var after = OnnxModelFile.Parse(OnnxModelFile.ToBytes(model), "hoisted.onnx");
        var inputs = RandomInputs.For(after, seed: 5, dynamicSize: 2);
        OutputAssert.Same(OrtRunner.Run(before, inputs), OrtRunner.Run(OnnxModelFile.ToBytes(after), inputs));
    }
}
