using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using static ModelBuild.TestSupport.OnnxModelBuilder;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.StructuredPruning;

/// <summary>
/// <c>prune-channels:F:latency</c>: per-layer times read from ONNX Runtime's profile under the names its optimizer
/// gives (blocked Convs named after the last fused output, fused Gemms), and the cut shared by them. No timing is
/// asserted: only that every layer is found and the plan is made from the times.
/// </summary>
public sealed class LayerLatencyTests
{
    // Convs p and q read x; Add(p, q) + Relu; GlobalAveragePool, Flatten, Gemm: the shape of a ResNet shortcut.
    private static ModelProto Shortcut()
    {
        var random = new Random(3);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 4, 6, 6)
            .Output("z", DataType.Float, "N", 3)
            .Initializer(RandomFloats(random, "p.weight", [8, 4, 3, 3]))
            .Initializer(RandomFloats(random, "q.weight", [8, 4, 1, 1]))
            .Initializer(RandomFloats(random, "g.weight", [3, 8]))
            .Node("Conv", ["x", "p.weight"], ["p_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Conv", ["x", "q.weight"], ["q_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Add", ["p_out", "q_out"], ["s"])
            .Node("Relu", ["s"], ["y"])
            .Node("GlobalAveragePool", ["y"], ["pooled"])
            .Node("Flatten", ["pooled"], ["flat"], OnnxAttributes.Int("axis", 1))
            .Node("Gemm", ["flat", "g.weight"], ["z"], OnnxAttributes.Int("transB", 1))
            .Build();
    }

    [Fact]
    public void A_profile_is_read_per_layer_through_fused_and_blocked_names_without_the_warm_up_run()
    {
        var names = LayerLatency.ProfiledNames(Shortcut().Graph);
        static string Run(int p, int q, int gemm) =>
            $$"""{"cat":"Node","name":"y_nchwc_kernel_time","dur":{{p}}},{"cat":"Node","name":"q_out_nchwc_kernel_time","dur":{{q}}},""" +
            $$"""{"cat":"Node","name":"ReorderOutput_kernel_time","dur":50},{"cat":"Node","name":"fused gemm_6_kernel_time","dur":{{gemm}}},{"cat":"Node","name":"gemm_6_kernel_time","dur":1},{"cat":"Session","name":"model_run","dur":400}""";
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $$"""[{"cat":"Session","name":"model_loading_array","dur":9},{{Run(1000, 900, 800)}},{{Run(10, 7, 3)}},{{Run(12, 5, 4)}},{{Run(11, 6, 2)}}]""");

            var times = LayerLatency.Read(file, names, LayerLatency.MaxProfileBytes);

            // The Add both Convs feed is fused into p (q is profiled under its own name); the Gemm's two kernels add up.
            Assert.Equal(11, times["conv_0"]);
            Assert.Equal(6, times["conv_1"]);
            Assert.Equal(4, times["gemm_6"]);
            Assert.Equal(3, times.Count);
            Assert.Throws<InvalidDataException>(() => LayerLatency.Read(file, names, maxBytes: 100));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ONNX_Runtime_profiles_every_layer_of_a_model_under_a_name_that_is_found_and_leaves_no_profile_behind()
    {
        var model = Shortcut();
        string[] Profiles() => Directory.GetFiles(Environment.CurrentDirectory, "onnxruntime_profile_*");
        var before = Profiles();

        var times = LayerLatency.Measure(model, ChannelModels.Inputs(model, 2));

        Assert.Equal(["conv_0", "conv_1", "gemm_6"], times.Keys.Order());
        Assert.All(times.Values, t => Assert.True(t > 0));
        Assert.Equal(before, Profiles());
    }

    [ZooFact]
    public void The_zoo_Fashion_MNIST_CNN_has_each_of_its_five_layers_timed()
    {
        var model = OnnxModelFile.Load(ZooModels.FashionMnist.ModelPath);

        var times = LayerLatency.Measure(model, ZooModels.FashionMnist.LabeledSet.Take(2).Select(s => s.Input).ToList());

        Assert.Equal(LayerCost.Measure(model, ZooModels.FashionMnist.LabeledSet[0].Input).Select(c => c.Layer).Order(), times.Keys.Order());
    }

    [Fact]
    public void Prune_channels_of_latency_shares_the_cut_by_the_measured_layer_times_and_keeps_the_signature()
    {
        var original = ChannelModels.Chain();
        var inputs = ChannelModels.Inputs(original, 32);
        var lines = new List<string>();

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:latency:1"), new CompressionSettings { CalibrationInputs = inputs }, new SynchronousProgress(lines.Add));

        Assert.Empty(result.Warnings);
        Assert.Equal(ModelSignature.Outputs(original), ModelSignature.Outputs(result.Model), TensorSignatureComparer.Instance);
        var timed = Assert.Single(lines, l => l.StartsWith("prune-channels: measured layer times", StringComparison.Ordinal));
        Assert.DoesNotContain("estimated", timed, StringComparison.Ordinal);
        var before = LayerCost.Measure(original, inputs[0]).Sum(c => c.MultiplyAccumulates);
        var after = LayerCost.Measure(result.Model, inputs[0]).Sum(c => c.MultiplyAccumulates);
        Assert.True(after < before, $"multiply-accumulates {before} -> {after}");
    }
}
