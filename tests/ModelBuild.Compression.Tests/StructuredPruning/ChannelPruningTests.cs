using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.StructuredPruning;

public sealed class ChannelPruningTests
{
    [Fact]
    public void Removing_a_channel_that_is_twice_another_is_repaired_exactly_by_the_refit_and_not_by_cutting()
    {
        var original = ChannelModels.Chain(duplicateFilter: true);
        var inputs = ChannelModels.Inputs(original, 64);
        var error = new Compression.StructuredPruning.OutputError(original, inputs);

        var refitted = RemoveChannel(original, inputs, 5, refit: true);
        var cut = RemoveChannel(original, inputs, 5, refit: false);

        Assert.True(error.Of(refitted) < 1e-4, $"refitted: output error {error.Of(refitted):E2}");
        Assert.True(error.Of(cut) > 1e-2, $"cut: output error {error.Of(cut):E2}");
        Assert.Equal([7, 3, 3, 3], ChannelModels.Weight(refitted, "conv_0").Dims);
        Assert.Equal([8, 7, 3, 3], ChannelModels.Weight(refitted, "conv_3").Dims);
    }

    [Fact]
    public void Prune_channels_narrows_every_prunable_group_keeps_the_signature_and_runs_fewer_multiply_accumulates()
    {
        var original = ChannelModels.Chain();
        original.Graph.ValueInfo.Add(OnnxModelBuilder.ValueInfo("r1", Onnx.Protobuf.TensorProto.Types.DataType.Float, "N", 8, 8, 8));
        var inputs = ChannelModels.Inputs(original, 32);
        var lines = new List<string>();
        var progress = new SynchronousProgress(lines.Add);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:channels:1"), new CompressionSettings { CalibrationInputs = inputs }, progress);

        Assert.Empty(result.Warnings);
        Assert.Equal(ModelSignature.Inputs(original), ModelSignature.Inputs(result.Model), TensorSignatureComparer.Instance);
        Assert.Equal(ModelSignature.Outputs(original), ModelSignature.Outputs(result.Model), TensorSignatureComparer.Instance);
        var before = LayerCost.Measure(original, inputs[0]).Sum(c => c.MultiplyAccumulates);
        var after = LayerCost.Measure(result.Model, inputs[0]).Sum(c => c.MultiplyAccumulates);
        Assert.True(after < before * 0.8, $"multiply-accumulates {before} -> {after}");
        var removed = 8 - ChannelModels.Weight(result.Model, "conv_0").Dims[0] + 8 - ChannelModels.Weight(result.Model, "conv_3").Dims[0] + 16 - ChannelModels.Weight(result.Model, "gemm_6").Dims[0];
        Assert.Equal(16, removed);
        Assert.Equal(ChannelModels.Weight(result.Model, "conv_3").Dims[0] * 16, ChannelModels.Weight(result.Model, "gemm_6").Dims[1]);
        // The recorded 8-channel shape of a narrowed value is dropped, not left stale.
        Assert.DoesNotContain(result.Model.Graph.ValueInfo, v => v.Name == "r1");
        Assert.Contains(lines, line => line.StartsWith("prune-channels: sensitivity of conv_3 (8 channels): 1 removed ", StringComparison.Ordinal));
        Assert.True(new Compression.StructuredPruning.OutputError(original, inputs).Of(result.Model) < 0.5);
    }

    [Fact]
    public void A_residual_group_is_pruned_in_both_convs_and_every_reader()
    {
        var original = ChannelModels.Residual();
        var inputs = ChannelModels.Inputs(original, 32);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5"), new CompressionSettings { CalibrationInputs = inputs });

        Assert.Equal([2, 2, 3, 3], ChannelModels.Weight(result.Model, "conv_0").Dims);
        Assert.Equal([2, 2, 3, 3], ChannelModels.Weight(result.Model, "conv_2").Dims);
        Assert.Equal([2, 2, 1, 1], ChannelModels.Weight(result.Model, "conv_5").Dims);
        Assert.Equal(ModelSignature.Outputs(original), ModelSignature.Outputs(result.Model), TensorSignatureComparer.Instance);
    }

    [Fact]
    public void A_model_with_nothing_safe_to_prune_is_stored_unchanged_with_MB2002()
    {
        var original = ChannelModels.Concatenated(axis: 2);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels"), new CompressionSettings { CalibrationInputs = ChannelModels.Inputs(original, 4) });

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("MB2002", warning.Code);
        Assert.Equal(OnnxModelFile.ToBytes(original), OnnxModelFile.ToBytes(result.Model));
    }

    [Fact]
    public void Pruning_composes_with_int8_and_packing_and_is_deterministic()
    {
        var original = ChannelModels.Chain();
        var settings = new CompressionSettings { CalibrationInputs = ChannelModels.Inputs(original, 16) };

        var first = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.3+int8+huffman"), settings);
        var second = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.3+int8+huffman"), settings);

        Assert.NotNull(first.Container);
        Assert.Equal(first.Container, second.Container);
        Assert.Contains("QuantizeLinear", ModelFacts.OperatorTypes(first.Model));
        Assert.Equal(ModelSignature.Outputs(original), ModelSignature.Outputs(first.Model), TensorSignatureComparer.Instance);
        Assert.True(new Compression.StructuredPruning.OutputError(original, settings.CalibrationInputs.ToList()).Of(first.Model) < 0.5);
    }

    [Fact]
    public void The_second_order_ranking_removes_one_of_two_channels_with_the_same_signal_first_where_norms_would_not()
    {
        // c1's channel 5 is exactly twice channel 1: either can go at no cost once the consumer is re-fitted.
        var original = ChannelModels.Chain(duplicateFilter: true);
        var inputs = ChannelModels.Inputs(original, 64);
        var group = ChannelGroupFinder.Find(original)[0];
        var consumer = Assert.Single(group.Consumers).Node;
        var statistics = LayerInputCollector.Collect(original, [consumer], inputs);
        var initializers = original.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);

        var secondOrder = ReconstructionRanking.Rank(group, initializers, node => statistics[node]);
        var byNorms = ReconstructionRanking.Rank(group, initializers, node => statistics[node], secondOrder: false);

        Assert.Contains(secondOrder[0], new[] { 1, 5 });
        Assert.DoesNotContain(byNorms[0], new[] { 1, 5 });
        Assert.Equal(Enumerable.Range(0, 8), secondOrder.Order());
        var error = new Compression.StructuredPruning.OutputError(original, inputs);
        var chosen = error.Of(RemoveChannel(original, inputs, secondOrder[0], refit: true));
        var normChosen = error.Of(RemoveChannel(original, inputs, byNorms[0], refit: true));
        Assert.True(chosen < 1e-4, $"second-order choice {secondOrder[0]}: output error {chosen:E2}");
        Assert.True(normChosen > 10 * chosen, $"norm choice {byNorms[0]}: output error {normChosen:E2}, second-order {chosen:E2}");
    }

    [Fact]
    public void A_layer_the_user_excludes_keeps_its_filters_and_input_channels_and_the_others_are_pruned()
    {
        var original = ChannelModels.Chain();
        var inputs = ChannelModels.Inputs(original, 16);
        var settings = new CompressionSettings { CalibrationInputs = inputs, Int8 = new() { ExcludeNodes = new HashSet<string>(["conv_3"], StringComparer.Ordinal) } };

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:channels:1"), settings);

        Assert.Equal(ChannelModels.Weight(original, "conv_3").Dims, ChannelModels.Weight(result.Model, "conv_3").Dims);
        Assert.Equal(ChannelModels.Weight(original, "conv_0").Dims, ChannelModels.Weight(result.Model, "conv_0").Dims);
        Assert.True(ChannelModels.Weight(result.Model, "gemm_8").Dims[1] < ChannelModels.Weight(original, "gemm_8").Dims[1], "the group the excluded layer does not touch is pruned");
    }

    [Fact]
    public void With_a_multiple_a_group_of_exactly_one_stays_whole_and_a_wider_one_keeps_multiples_of_it()
    {
        var original = ChannelModels.Chain();
        var inputs = ChannelModels.Inputs(original, 16);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:channels:8"), new CompressionSettings { CalibrationInputs = inputs });

        Assert.Equal(8, ChannelModels.Weight(result.Model, "conv_0").Dims[0]);
        Assert.Equal(8, ChannelModels.Weight(result.Model, "conv_3").Dims[0]);
        Assert.Equal([8, 128], ChannelModels.Weight(result.Model, "gemm_6").Dims);
    }

    [Fact]
    public void Later_layers_refitted_against_the_original_take_up_the_error_a_cut_left()
    {
        var original = ChannelModels.Chain();
        var inputs = ChannelModels.Inputs(original, 512);
        var unseen = ChannelModels.Inputs(original, 64, seed: 6);
        var model = RemoveChannel(original, inputs, 2, refit: false);
        var onFitted = new Compression.StructuredPruning.OutputError(original, inputs);
        var onUnseen = new Compression.StructuredPruning.OutputError(original, unseen);
        var (fittedBefore, unseenBefore) = (onFitted.Of(model), onUnseen.Of(model));

        var later = model.Graph.Node.Where(n => n.Name is "gemm_6" or "gemm_8").ToList();
        var refitted = DownstreamRefit.Apply(model, original, later, inputs);

        Assert.Equal(later, refitted);
        Assert.Equal([16, 128], ChannelModels.Weight(model, "gemm_6").Dims);
        Assert.True(onFitted.Of(model) < fittedBefore * 0.8, $"on the calibration inputs: output error {fittedBefore:E2} -> {onFitted.Of(model):E2}");
        Assert.True(onUnseen.Of(model) < unseenBefore, $"on others: output error {unseenBefore:E2} -> {onUnseen.Of(model):E2}");
    }

    [Theory]
    [InlineData(600, "on 448 calibration inputs, the sensitivity on 64 others")]
    [InlineData(200, "on 136 calibration inputs, the sensitivity on 64 others")]
    [InlineData(150, "on 150 calibration inputs")]
    public void The_statistics_take_up_to_512_calibration_inputs_and_hold_64_out_when_there_are_three_times_as_many(int count, string expected)
    {
        var original = ChannelModels.Chain();
        var lines = new List<string>();

        ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.2"), new CompressionSettings { CalibrationInputs = ChannelModels.Inputs(original, count) }, new SynchronousProgress(lines.Add));

        var gathering = Assert.Single(lines, l => l.Contains("gathering the input statistics", StringComparison.Ordinal));
        Assert.EndsWith(expected, gathering, StringComparison.Ordinal);
    }

    private static ModelProto RemoveChannel(ModelProto original, IReadOnlyList<Data.ImageTensor> inputs, int channel, bool refit)
    {
        var model = original.Clone();
        var graph = model.Graph;
        var group = ChannelGroupFinder.Find(model)[0];
        var consumer = Assert.Single(group.Consumers).Node;
        var keep = Enumerable.Range(0, 8).Where(c => c != channel).ToArray();
        var statistics = LayerInputCollector.Collect(model, [consumer], inputs);
        var names = new GraphNames(graph);
        ChannelRemover.RemoveOutputs(graph, names, group, keep);
        var refitted = new Dictionary<NodeProto, RefittedWeights>(NodeIdentity.Comparer);
        if (refit)
        {
            var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            refitted[consumer] = ConsumerRefit.Refit(consumer, initializers, statistics[consumer], ChannelRemover.Expand(keep, 9));
        }
        ChannelRemover.RemoveInputs(graph, names, group, keep, refitted);
        return model;
    }
}
