using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Evaluation;

/// <summary>The runner every calibration and repair observes a model's tensors with.</summary>
public sealed class ExposedValueRunnerTests
{
    private static readonly ImageTensor Input = new(Enumerable.Range(0, 64).Select(i => MathF.Sin(i * 0.37f)).ToArray(), [1, 1, 8, 8]);

    [Fact]
    public void Hands_on_the_graph_input_an_inner_value_and_the_graph_output_as_a_plain_session_computes_them()
    {
        var model = TestModels.ConvClassifier();
        var observed = new Dictionary<string, (float[] Values, long[] Shape)>();
        string[] names = ["relu_out", "image", "scores"];

        using (var runner = new ExposedValueRunner(model, names))
            runner.Run(Input, (index, values, shape) => observed[names[index]] = (values.ToArray(), shape));

        Assert.Equal(Input.Values, observed["image"].Values);
        Assert.Equal([1, 4, 8, 8], observed["relu_out"].Shape);
        Assert.All(observed["relu_out"].Values, v => Assert.True(v >= 0));
        Assert.Contains(observed["relu_out"].Values, v => v > 0);
        var plain = OrtRunner.Run(OnnxModelFile.ToBytes(model), new Dictionary<string, InputTensor> { ["image"] = new(Input.Values, Input.Shape) });
        Assert.Equal(plain["scores"].Data, observed["scores"].Values);
    }

    [Fact]
    public void Runs_the_model_when_only_its_input_is_observed()
    {
        var calls = 0;
        using var runner = new ExposedValueRunner(TestModels.ConvClassifier(), ["image"]);

        runner.Run(Input, (index, values, _) =>
        {
            Assert.Equal(0, index);
            Assert.Equal(64, values.Length);
            calls++;
        });

        Assert.Equal(1, calls);
    }

    [Fact]
    public void A_sample_without_a_model_input_is_refused_by_name()
    {
        using var runner = new ExposedValueRunner(TestModels.ConvClassifier(), ["scores"]);

        var error = Assert.Throws<ArgumentException>(() => runner.Run(new Dictionary<string, ImageTensor> { ["pixels"] = Input }, (_, _, _) => { }));

        Assert.Contains("'image'", error.Message, StringComparison.Ordinal);
        Assert.Contains("pixels", error.Message, StringComparison.Ordinal);
    }
}
