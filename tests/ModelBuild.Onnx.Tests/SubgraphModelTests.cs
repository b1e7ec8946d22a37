using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

/// <summary>Subgraphs (If branches) read outer values and hold weights of their own; loading must accept both.</summary>
public class SubgraphModelTests
{
    [Fact]
    public void Subgraph_model_round_trips_and_both_branches_run_the_same()
    {
        var model = TestModels.SubgraphModel();
        var bytes = OnnxModelFile.ToBytes(model);

        var reloaded = OnnxModelFile.Parse(bytes, "subgraph.onnx");

        Assert.Equal(model, reloaded);
        foreach (var useScale in new[] { true, false })
        {
            var inputs = RandomInputs.For(model, seed: 8, dynamicSize: 2);
            inputs["use_scale"] = new InputTensor(new[] { useScale }, []);
            var expected = OrtRunner.Run(bytes, inputs);
            OutputAssert.Same(expected, OrtRunner.Run(OnnxModelFile.ToBytes(reloaded), inputs));
            var x = (float[])inputs["x"].Data;
            var weights = TensorData.ReadFloats(ModelTensors.All(model).Single(t => t.Name == (useScale ? "scale" : "shift")));
            var y = expected["y"].Data;
            for (var i = 0; i < y.Length; i++)
                Assert.Equal(useScale ? x[i] * weights[i % 4] : x[i] + weights[i % 4], y[i]);
        }
    }

    [Fact]
    public void Tensors_inside_subgraphs_are_listed_but_not_hoisted()
    {
        var model = TestModels.SubgraphModel();

        Assert.Equal(["shift", "scale"], ModelTensors.All(model).Select(t => t.Name));
        Assert.Equal(0, OnnxGraph.HoistConstants(model));
        Assert.Equal("scale_const_1", OnnxGraph.UniqueName(model.Graph, "scale_const"));
    }
}
