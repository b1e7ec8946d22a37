using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

/// <summary>The shared test inputs are what other test projects rely on: deterministic and shaped by the signature.</summary>
public class RandomInputsTests
{
    [Fact]
    public void Same_seed_gives_same_inputs_and_dynamic_dims_take_the_given_size()
    {
        var model = TestModels.MultiInputModel();

        var first = RandomInputs.For(model, seed: 4, dynamicSize: 3);
        var again = RandomInputs.For(model, seed: 4, dynamicSize: 3);
        var other = RandomInputs.For(model, seed: 5, dynamicSize: 3);

        Assert.All(first.Values, input => Assert.Equal([3L, 4L], input.Shape));
        Assert.IsType<bool[]>(first["mask"].Data);
        Assert.IsType<byte[]>(first["pixels"].Data);
        Assert.Equal((float[])first["values"].Data, (float[])again["values"].Data);
        Assert.NotEqual((float[])first["values"].Data, (float[])other["values"].Data);
    }

    [Fact]
    public void Named_dims_and_whole_shapes_can_be_chosen()
    {
        var model = TestModels.ConvClassifier();

        var byName = RandomInputs.For(model, dimSizes: new Dictionary<string, long> { ["N"] = 5 });
        var byShape = RandomInputs.For(model, shapes: new Dictionary<string, long[]> { ["image"] = [2, 1, 8, 8] });

        Assert.Equal([5L, 1, 8, 8], byName["image"].Shape);
        Assert.Equal(5 * 64, byName["image"].Data.Length);
        Assert.Equal([2L, 1, 8, 8], byShape["image"].Shape);
    }

    [Fact]
    public void Multi_input_model_runs_with_every_element_type_and_computes_its_mask_count()
    {
        var model = TestModels.MultiInputModel();
        var inputs = RandomInputs.For(model, seed: 9, dynamicSize: 4);

        var outputs = OrtRunner.Run(OnnxModelFile.ToBytes(model), inputs);

        var mask = (bool[])inputs["mask"].Data;
        var expectedCounts = Enumerable.Range(0, 4).Select(row => (float)mask.Skip(row * 4).Take(4).Count(m => m));
        Assert.Equal(expectedCounts, outputs["count"].Data);
        Assert.Equal([4L], outputs["count"].Shape);
        var values = (float[])inputs["values"].Data;
        var selected = outputs["selected"].Data;
        for (var i = 0; i < mask.Length; i++)
        {
            if (!mask[i])
                Assert.Equal(values[i], selected[i]);
        }
    }
}
