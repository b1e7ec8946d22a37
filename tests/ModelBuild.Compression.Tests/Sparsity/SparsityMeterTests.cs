using ModelBuild.Compression.Inspection;
using ModelBuild.Compression.Sparsity;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Sparsity;

public sealed class SparsityMeterTests
{
    [Fact]
    public void A_dense_model_has_no_zeros_and_does_not_look_pruned()
    {
        var sparsity = SparsityMeter.Measure(TestModels.ConvClassifier());

        // conv.weight [4,1,3,3] and fc.weight [64,4]; biases are not layer weights.
        Assert.Equal([("Conv", 36L), ("Gemm", 256L)], sparsity.Layers.Select(l => (l.OperatorType, l.Elements)));
        Assert.Equal(0, sparsity.Zeros);
        Assert.False(sparsity.LooksPruned);
    }

    [Fact]
    public void Half_zero_weights_are_counted_per_layer_and_look_pruned()
    {
        var sparsity = ModelInspector.Inspect(PrunedModels.ConvClassifierHalfZero()).Sparsity;

        Assert.Equal([18L, 128L], sparsity.Layers.Select(l => l.Zeros));
        Assert.Equal(0.5, sparsity.Fraction);
        Assert.True(sparsity.LooksPruned);
    }

    [Fact]
    public void Int8_weights_are_read_dequantized_through_the_recipes_nodes()
    {
        var original = PrunedModels.ConvClassifierHalfZero();
        var quantized = ModelCompressor.Compress(original, Contracts.Recipes.Recipe.Int8Dynamic).Model;

        var layers = SparsityMeter.Measure(quantized).Layers;

        // Both layers are still found (Conv behind Cast and Mul, Gemm as DynamicQuantizeMatMul) and keep their zeros.
        Assert.Equal(SparsityMeter.Measure(original).Layers.Select(l => (l.NodeName, l.Elements)), layers.Select(l => (l.NodeName, l.Elements)));
        Assert.All(layers, l => Assert.True(l.Zeros >= l.Elements / 2, $"{l.NodeName}: {l.Zeros} zeros"));
    }

    /// <summary>The zoo README's table of zeros per layer (Conv/Gemm weights, biases not counted).</summary>
    [ZooTheory]
    [InlineData("fmnist-bn-cnn-pruned85.onnx", new long[] { 39, 4_920, 9_921, 23_899, 358_140, 446 }, true)]
    [InlineData("fmnist-bn-cnn-qat.onnx", new long[] { 1, 95, 162, 367, 4_216, 8 }, false)]
    [InlineData("fmnist-bn-cnn.onnx", new long[] { 0, 0, 0, 0, 0, 0 }, false)]
    public void The_family_models_have_the_zeros_their_readme_lists(string file, long[] zeros, bool pruned)
    {
        var sparsity = SparsityMeter.Measure(OnnxModelFile.Load(Zoo.PathOf("fashion-mnist-family", file)));

        Assert.Equal(zeros, sparsity.Layers.Select(l => l.Zeros));
        Assert.Equal(467_488, sparsity.Elements);
        Assert.Equal(pruned, sparsity.LooksPruned);
    }
}
