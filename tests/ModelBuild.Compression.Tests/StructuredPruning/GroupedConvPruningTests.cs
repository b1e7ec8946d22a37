using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using OutputError = ModelBuild.Compression.StructuredPruning.OutputError;

namespace ModelBuild.Compression.Tests.StructuredPruning;

/// <summary>
/// Grouped (not depthwise) Convs in channel groups: the i-th channel of each slice is one channel, so every slice keeps
/// as many as the others and the ONNX weight stays [Cout', Cin' / G, k, k] with the same group. Where two channels of
/// every slice carry the same signal, removing one is repaired exactly by the refit of the grouped consumer slice by
/// slice (block-diagonal, no cross-group weights); the pruned models run in ONNX Runtime with the original's shapes.
/// </summary>
public sealed class GroupedConvPruningTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void A_grouped_conv_ties_the_ith_channel_of_each_input_slice_and_of_each_output_slice(int groups)
    {
        var perSlice = 8 / groups;
        var found = ChannelGroupFinder.Find(GroupedConvModels.Consumer(groups));

        var (input, output) = (found[0], found[1]);
        Assert.Equal(["conv_0", "conv_2"], new[] { input.Name, output.Name });
        Assert.True(input.CanPrune, input.BlockedBy);
        Assert.True(output.CanPrune, output.BlockedBy);
        Assert.Equal(perSlice, input.Channels);
        Assert.Equal(perSlice, output.Channels);
        var reader = Assert.Single(input.Consumers);
        Assert.Equal("conv_2", reader.Node.Name);
        Assert.Equal(Enumerable.Range(0, 8).Select(c => c % perSlice), Enumerable.Range(0, 8).Select(c => reader.Map.ChannelOf(input, c)));
        Assert.Equal(Enumerable.Range(0, 8).Select(c => c % perSlice), Enumerable.Range(0, 8).Select(c => output.Filters[output.Producers[0]].ChannelOf(output, c)));
        Assert.Equal("conv_4", Assert.Single(output.Consumers).Node.Name);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Removing_a_channel_twice_another_in_every_slice_of_a_grouped_reader_is_ranked_first_and_repaired_exactly(int groups)
    {
        // In every slice of g's input, the last channel is twice the first: either can go at no cost once each of g's
        // groups is re-fitted on its own slice.
        var original = GroupedConvModels.Consumer(groups, duplicateFilters: true);
        var inputs = ChannelModels.Inputs(original, 64);
        var perSlice = 8 / groups;
        var group = ChannelGroupFinder.Find(original)[0];
        var statistics = LayerInputCollector.Collect(original, [Assert.Single(group.Consumers).Node], inputs);
        var initializers = original.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);

        var ranking = ReconstructionRanking.Rank(group, initializers, node => statistics[node]);
        var refitted = Cut(original, inputs, 0, ranking[0], refit: true);
        var cut = Cut(original, inputs, 0, ranking[0], refit: false);

        Assert.Contains(ranking[0], new[] { 0, perSlice - 1 });
        var error = new OutputError(original, inputs);
        // 1e-4: what float rounding and the refit's 1e-3 ridge leave of an exact repair (the tests of plain Convs use it).
        var (repaired, unrepaired) = (error.Of(refitted), error.Of(cut));
        Assert.True(repaired < 1e-4, $"refitted: output error {repaired:E2}");
        // The cut alone loses the channel's share (a few 1e-3 here, after g's 8 and c's 4 outputs mix and pool it).
        Assert.True(unrepaired > 1e-3 && unrepaired > 100 * repaired, $"cut: output error {unrepaired:E2}, refitted {repaired:E2}");
        Assert.Equal([8 - groups, 3, 3, 3], ChannelModels.Weight(refitted, "conv_0").Dims);
        Assert.Equal([8, perSlice - 1, 3, 3], ChannelModels.Weight(refitted, "conv_2").Dims);
        Assert.Equal(groups, GroupAttribute(refitted, "conv_2"));
        AssertSameOutputShape(original, refitted, inputs[0]);
    }

    [Fact]
    public void A_grouped_conv_as_producer_loses_the_same_filters_in_every_output_slice()
    {
        // g's filters 3 and 7 are twice filters 0 and 4: group channel 3 (filters 3 and 7) is twice channel 0.
        var original = GroupedConvModels.Producer(duplicateFilters: true);
        var inputs = ChannelModels.Inputs(original, 64);

        var refitted = Cut(original, inputs, 0, 3, refit: true);

        var error = new OutputError(original, inputs);
        Assert.True(error.Of(refitted) < 1e-4, $"refitted: output error {error.Of(refitted):E2}");
        Assert.Equal([6, 2, 3, 3], ChannelModels.Weight(refitted, "conv_0").Dims);
        Assert.Equal([4, 6, 1, 1], ChannelModels.Weight(refitted, "conv_2").Dims);
        // Filters 0-2 and 4-6 stay, in order.
        var filters = TensorData.ReadFloats(ChannelModels.Weight(original, "conv_0")).Chunk(18).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 4, 5, 6 }.SelectMany(f => filters[f]), TensorData.ReadFloats(ChannelModels.Weight(refitted, "conv_0")));
        AssertSameOutputShape(original, refitted, inputs[0]);
    }

    [Fact]
    public void Cutting_a_zero_channel_of_a_residual_block_around_a_grouped_conv_cuts_both_slices_and_leaves_the_outputs()
    {
        var original = GroupedConvModels.Residual(zeroFilters: true);
        var inputs = ChannelModels.Inputs(original, 8);
        var group = Assert.Single(ChannelGroupFinder.Find(original), g => g.CanPrune);
        Assert.Equal(["conv_0", "conv_2"], group.Producers.Select(p => p.Name));
        Assert.Equal(["conv_2", "conv_5"], group.Consumers.Select(c => c.Node.Name));
        Assert.Equal(4, group.Channels);

        // Channel 3 is positions 3 and 7 of the sum: zero, so cutting it (no refit) changes nothing.
        var pruned = Cut(original, inputs, group.Id, 3, refit: false);

        Assert.True(new OutputError(original, inputs).Of(pruned) < 1e-10);
        Assert.Equal([6, 3, 3, 3], ChannelModels.Weight(pruned, "conv_0").Dims);
        Assert.Equal([6, 3, 3, 3], ChannelModels.Weight(pruned, "conv_2").Dims);
        Assert.Equal([2, 6, 1, 1], ChannelModels.Weight(pruned, "conv_5").Dims);
        AssertSameOutputShape(original, pruned, inputs[0]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Prune_channels_cuts_every_slice_of_a_grouped_conv_alike_and_onnx_runtime_runs_the_result(int groups)
    {
        var original = GroupedConvModels.Consumer(groups);
        var inputs = ChannelModels.Inputs(original, 32);
        var lines = new List<string>();

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:channels:1"), new CompressionSettings { CalibrationInputs = inputs }, new SynchronousProgress(lines.Add));

        Assert.Empty(result.Warnings);
        Assert.DoesNotContain(lines, l => l.Contains("stays whole", StringComparison.Ordinal) && l.Contains("conv_2", StringComparison.Ordinal) && !l.Contains("graph output", StringComparison.Ordinal));
        var (a, g, c) = (ChannelModels.Weight(result.Model, "conv_0").Dims, ChannelModels.Weight(result.Model, "conv_2").Dims, ChannelModels.Weight(result.Model, "conv_4").Dims);
        Assert.True(a[0] + g[0] < 16, $"a keeps {a[0]}, g {g[0]} of 8 filters each");
        Assert.Equal(0, a[0] % groups);
        Assert.Equal(0, g[0] % groups);
        Assert.Equal(a[0] / groups, g[1]);
        Assert.Equal(g[0], c[1]);
        Assert.Equal(groups, GroupAttribute(result.Model, "conv_2"));
        Assert.Equal(ModelSignature.Outputs(original), ModelSignature.Outputs(result.Model), TensorSignatureComparer.Instance);
        AssertSameOutputShape(original, result.Model, inputs[0]);
        Assert.True(new OutputError(original, inputs).Of(result.Model) < 0.5);
    }

    [Fact]
    public void With_a_multiple_a_channel_tied_across_two_slices_counts_as_two_filters()
    {
        // g has 8 filters, 4 tied channels of 2: multiples of 4 filters are 2 channels, so g may go to 4 filters,
        // where counting channels (4, exactly one multiple) would have kept it whole.
        var original = GroupedConvModels.Consumer(2);
        var inputs = ChannelModels.Inputs(original, 16);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:channels:4"), new CompressionSettings { CalibrationInputs = inputs });

        var (a, g) = (ChannelModels.Weight(result.Model, "conv_0").Dims, ChannelModels.Weight(result.Model, "conv_2").Dims);
        Assert.Equal(4, Math.Min(a[0], g[0]));
        Assert.All(new[] { a[0], g[0] }, filters => Assert.Equal(0, filters % 4));
        Assert.Equal(a[0] / 2, g[1]);
        AssertSameOutputShape(original, result.Model, inputs[0]);
    }

    [Fact]
    public void Prune_channels_cuts_a_residual_block_around_a_grouped_conv_in_both_producers_and_both_readers()
    {
        var original = GroupedConvModels.Residual();
        var inputs = ChannelModels.Inputs(original, 32);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:channels:1"), new CompressionSettings { CalibrationInputs = inputs });

        var (a, g, c) = (ChannelModels.Weight(result.Model, "conv_0").Dims, ChannelModels.Weight(result.Model, "conv_2").Dims, ChannelModels.Weight(result.Model, "conv_5").Dims);
        Assert.True(a[0] < 8, $"a keeps {a[0]} of 8 filters");
        Assert.Equal(a[0], g[0]);
        Assert.Equal(0, a[0] % 2);
        Assert.Equal(a[0] / 2, g[1]);
        Assert.Equal(a[0], c[1]);
        AssertSameOutputShape(original, result.Model, inputs[0]);
        Assert.True(new OutputError(original, inputs).Of(result.Model) < 0.5);
    }

    [Fact]
    public void A_grouped_conv_with_one_input_channel_per_group_stops_its_input_group_and_names_itself()
    {
        var found = ChannelGroupFinder.Find(GroupedConvModels.Multiplier());

        Assert.Equal("conv_0", found[0].Name);
        Assert.False(found[0].CanPrune);
        Assert.Equal("Conv 'conv_2' is a grouped Conv with one input channel per group (group 4): no slice can lose one", found[0].BlockedBy);
        // Its own filters, two per group, can still go one per group alike.
        Assert.Equal("conv_2", found[1].Name);
        Assert.True(found[1].CanPrune, found[1].BlockedBy);
        Assert.Equal(2, found[1].Channels);
    }

    // Group `index` of a copy of `original` without `channel`, its consumers re-fitted (or cut).
    private static ModelProto Cut(ModelProto original, IReadOnlyList<Data.ImageTensor> inputs, int index, int channel, bool refit)
    {
        var model = original.Clone();
        var graph = model.Graph;
        var group = ChannelGroupFinder.Find(model)[index];
        var keep = Enumerable.Range(0, group.Channels).Where(c => c != channel).ToArray();
        var statistics = LayerInputCollector.Collect(model, group.Consumers.Select(c => c.Node).ToList(), inputs);
        var names = new GraphNames(graph);
        ChannelRemover.RemoveOutputs(graph, names, group, keep);
        var refitted = new Dictionary<NodeProto, RefittedWeights>(NodeIdentity.Comparer);
        if (refit)
        {
            var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            foreach (var consumer in group.Consumers)
                refitted[consumer.Node] = ConsumerRefit.Refit(consumer.Node, initializers, statistics[consumer.Node], consumer.Map.KeptColumns(group, keep, statistics[consumer.Node].Columns));
        }
        ChannelRemover.RemoveInputs(graph, names, group, keep, refitted);
        return model;
    }

    private static long GroupAttribute(ModelProto model, string node) =>
        Compression.Graphs.GraphEditor.IntAttribute(model.Graph.Node.Single(n => n.Name == node), "group", 1);

    // ONNX Runtime loads the model and gives the original's output shape.
    private static void AssertSameOutputShape(ModelProto original, ModelProto pruned, Data.ImageTensor input)
    {
        Assert.Equal(OutputShape(original, input), OutputShape(pruned, input));
    }

    private static long[] OutputShape(ModelProto model, Data.ImageTensor input)
    {
        using var runner = new ExposedValueRunner(model, [model.Graph.Output[0].Name]);
        long[] shape = [];
        runner.Run(input, (_, _, s) => shape = s);
        return shape;
    }
}
