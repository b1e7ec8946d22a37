using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.StructuredPruning;

/// <summary>
/// prune-channels on the zoo Fashion-MNIST CNN, scored on the 9,500 test images that do not calibrate (every 20th
/// calibrates, as in the benchmark): a third fewer multiply-accumulates for at most one point of top-1. In float,
/// so it holds on every CPU.
/// </summary>
public sealed class ZooChannelPruningTests
{
    [ZooFact]
    public void Fashion_MNIST_loses_at_most_one_point_with_30_percent_fewer_multiply_accumulates()
    {
        var model = ZooModels.FashionMnist;
        var calibration = model.LabeledSet.Where((_, i) => i % 20 == 19).Select(s => s.Input).ToList();
        var scored = model.LabeledSet.Where((_, i) => i % 20 != 19).ToList();
        var original = OnnxModelFile.Load(model.ModelPath);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.3:macs"), new CompressionSettings { CalibrationInputs = calibration });

        var before = LayerCost.Measure(original, calibration[0]).Sum(c => c.MultiplyAccumulates);
        var after = LayerCost.Measure(result.Model, calibration[0]).Sum(c => c.MultiplyAccumulates);
        Assert.True(after <= before * 0.7, $"multiply-accumulates {before:N0} -> {after:N0}");
        double Top1(byte[] bytes)
        {
            using var runner = ModelRunner.Open(bytes);
            return ClassificationEvaluator.Evaluate(runner, scored).Top1;
        }
        var drop = (Top1(File.ReadAllBytes(model.ModelPath)) - Top1(OnnxModelFile.ToBytes(result.Model))) * 100;
        Assert.True(drop <= 1.0, $"top-1 dropped {drop:F2} points on {scored.Count} images");
    }
}
