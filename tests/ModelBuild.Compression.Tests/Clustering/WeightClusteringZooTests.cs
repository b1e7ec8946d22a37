using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Clustering;

/// <summary>
/// <c>int8+cluster:4+huffman</c> on the zoo's MNIST and Fashion-MNIST CNNs: every 20th labeled input calibrates, the
/// others score fp32 and the decoded model side by side; at most one point of top-1 lost, and fewer bytes stored
/// than <c>int8+huffman</c>. The sweep over bit widths and models is the benchmark's (--compression).
/// </summary>
public sealed class WeightClusteringZooTests(ITestOutputHelper output)
{
    [ZooTheory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    public void Four_bit_clustered_int8_keeps_top1_within_one_point_and_stores_less_than_int8(string modelName)
    {
        var model = new[] { ZooModels.Mnist, ZooModels.FashionMnist }.Single(m => m.Name == modelName);
        var original = File.ReadAllBytes(model.ModelPath);
        var proto = OnnxModelFile.Parse(original, model.ModelPath);
        var labeled = model.LabeledSet;
        var settings = new CompressionSettings { CalibrationInputs = labeled.Where((_, i) => i % 20 == 19).Select(s => s.Input).ToList() };
        var evaluation = labeled.Where((_, i) => i % 20 != 19).ToList();

        var int8 = ModelCompressor.Compress(proto, Recipe.Parse("int8+huffman"), settings).StoredBytes();
        var clustered = ModelCompressor.Compress(proto, Recipe.Parse("int8+cluster:4+huffman"), settings).StoredBytes();

        using var fp32Runner = ModelRunner.Open(original);
        using var clusteredRunner = ModelRunner.Open(ModelContainer.DecodeIfContainer(clustered));
        var fp32 = ClassificationEvaluator.Evaluate(fp32Runner, evaluation);
        var after = ClassificationEvaluator.Evaluate(clusteredRunner, evaluation);
        var dropPoints = (fp32.Top1 - after.Top1) * 100;
        output.WriteLine($"{modelName}: fp32 {fp32.Top1:P2}, int8+cluster:4+huffman {after.Top1:P2} on {evaluation.Count}; stored {clustered.Length} bytes (int8+huffman {int8.Length}, original {original.Length})");

        Assert.True(dropPoints <= 1.0, $"{modelName}: top-1 {after.Top1:P2} against fp32 {fp32.Top1:P2} on {evaluation.Count} inputs, a drop of {dropPoints:F2} points");
        Assert.True(clustered.Length < int8.Length * 0.8, $"{modelName}: int8+cluster:4+huffman stored {clustered.Length} bytes, int8+huffman {int8.Length}");
    }
}
