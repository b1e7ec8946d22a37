using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Data;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Selection;

public sealed class LayerDiagnosisTests
{
    [Fact]
    public void Sqnr_is_signal_power_over_noise_power_in_decibels()
    {
        // signal 1+4 = 5, noise 0.01+0.04 = 0.05: ratio 100 = 20 dB
        Assert.Equal(20.0, LayerDiagnosis.Sqnr([1f, 2f], [1.1f, 1.8f]), 4);
        Assert.Equal(double.PositiveInfinity, LayerDiagnosis.Sqnr([1f, 2f], [1f, 2f]));
    }

    [Fact]
    public void Layers_of_a_quantized_model_are_ranked_worst_first_and_an_unchanged_model_is_exact()
    {
        var model = TestModels.ConvClassifier();
        var random = new Random(3);
        var inputs = Enumerable.Range(0, 4).Select(_ => new ImageTensor(Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray(), [1, 1, 8, 8])).ToList();
        var int8 = ModelCompressor.Compress(model, Recipe.Int8, new CompressionSettings { CalibrationInputs = inputs }).Model;

        var quantized = LayerDiagnosis.Rank(model, int8, inputs);
        var unchanged = LayerDiagnosis.Rank(model, model.Clone(), inputs);

        Assert.Equal(["Conv", "Gemm"], quantized.Select(l => l.OperatorType).Order());
        Assert.All(quantized, l => Assert.InRange(l.SqnrDecibels, 5, 80));
        Assert.True(quantized[0].SqnrDecibels <= quantized[1].SqnrDecibels);
        Assert.All(unchanged, l => Assert.Equal(double.PositiveInfinity, l.SqnrDecibels));
    }
}
