using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.SecondOrder;

/// <summary>
/// The second-order steps on zoo CNNs, kept small: every 5th labeled MNIST input and every 2nd CIFAR-10 one (its
/// folders are sorted by class), 2,000 and 1,000; every 20th of those calibrates and the others score (disjoint). The Fashion-MNIST CNN's 6,272-input Gemm takes a minute or more to
/// factor and sweep on two shared cores, past what the test run may spend, so it and the other recipes are measured
/// by the benchmark (<c>dotnet run -c Release -- --obs</c>, OBS.md).
/// </summary>
public sealed class SecondOrderZooTests(ITestOutputHelper output)
{
    [ZooFact]
    public void Pruned_and_4_bit_mnist_keeps_top1_within_one_point_on_held_out_inputs()
    {
        var (fp32, compressed, ratio) = Measure(ZooModels.Mnist, 5, "prune:0.5+int4+huffman").Single();

        Assert.True((fp32 - compressed) * 100 <= 1.0, $"prune:0.5+int4: top-1 {compressed:P2} against fp32 {fp32:P2}");
        Assert.True(ratio >= 7, $"prune:0.5+int4+huffman stores mnist {ratio:F2}x smaller, expected at least 7x (int8+huffman: 4.2x)");
    }

    [ZooFact]
    public void Gptq_4_bit_resnet20_loses_less_top1_than_round_to_nearest_and_stores_8x_smaller()
    {
        var measured = Measure(ZooModels.Cifar10ResNet20, 2, "int4+huffman", "int4:rtn+huffman");
        var (fp32, gptq, ratio) = measured[0];
        var rtn = measured[1].Compressed;

        Assert.True(gptq > rtn, $"GPTQ's top-1 {gptq:P2} is not above round-to-nearest's {rtn:P2} (fp32 {fp32:P2})");
        Assert.True(ratio >= 8, $"int4+huffman stores resnet20 {ratio:F2}x smaller, expected at least 8x");
    }

    /// <summary>Per recipe: fp32's top-1 (measured once), the compressed model's, and fp32 bytes / stored bytes.</summary>
    private List<(double Fp32, double Compressed, double Ratio)> Measure(ZooClassifier model, int every, params string[] recipes)
    {
        var bytes = File.ReadAllBytes(model.ModelPath);
        var labeled = model.LabeledSet.Where((_, i) => i % every == 0).ToList();
        var calibration = labeled.Where((_, i) => i % 20 == 19).Select(s => s.Input).ToList();
        var evaluation = labeled.Where((_, i) => i % 20 != 19).ToList();
        double fp32;
        using (var fp32Runner = ModelRunner.Open(bytes))
            fp32 = ClassificationEvaluator.Evaluate(fp32Runner, evaluation).Top1;

        var measured = new List<(double, double, double)>();
        foreach (var recipe in recipes)
        {
            var result = ModelCompressor.Compress(OnnxModelFile.Parse(bytes, model.ModelPath), Recipe.Parse(recipe), new CompressionSettings { CalibrationInputs = calibration });
            using var runner = ModelRunner.Open(OnnxModelFile.ToBytes(result.Model));
            var compressed = ClassificationEvaluator.Evaluate(runner, evaluation).Top1;
            var ratio = (double)bytes.Length / result.StoredBytes().Length;
            output.WriteLine($"{model.Name} {recipe}: top-1 {fp32:P2} -> {compressed:P2} on {evaluation.Count} held-out inputs ({calibration.Count} calibrate); {bytes.Length:N0} -> {result.StoredBytes().Length:N0} bytes ({ratio:F2}x)");
            measured.Add((fp32, compressed, ratio));
        }
        return measured;
    }
}
