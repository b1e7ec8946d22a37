using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.StructuredPruning;

public sealed class ChannelGroupFinderTests
{
    [Fact]
    public void A_chain_has_a_group_per_layer_and_the_output_layer_stays_whole()
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.Chain());

        Assert.Equal(["conv_0", "conv_3", "gemm_6", "gemm_8"], groups.Select(g => g.Name));
        Assert.Equal([8, 8, 16, 4], groups.Select(g => g.Channels));
        Assert.Equal([true, true, true, false], groups.Select(g => g.CanPrune));
        Assert.Contains("graph output 'scores'", groups[3].BlockedBy);
        Assert.Equal("conv_3", Assert.Single(groups[0].Consumers).Node.Name);
        var flattened = Assert.Single(groups[1].Consumers);
        Assert.Equal("gemm_6", flattened.Node.Name);
        Assert.True(flattened.Flattened);
        Assert.False(Assert.Single(groups[2].Consumers).Flattened);
    }

    [Fact]
    public void A_residual_add_ties_both_convs_into_one_group_read_by_both_following_convs()
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.Residual());

        var tied = Assert.Single(groups, g => g.CanPrune);
        Assert.Equal(["conv_0", "conv_2"], tied.Producers.Select(p => p.Name));
        Assert.Equal(["conv_2", "conv_5"], tied.Consumers.Select(c => c.Node.Name));
        var output = Assert.Single(groups, g => !g.CanPrune);
        Assert.Contains("graph output 'y'", output.BlockedBy);
    }

    [Fact]
    public void A_concat_on_the_channel_axis_lays_both_groups_end_to_end_in_the_reader()
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.Concatenated());

        var (p, q) = (groups[0], groups[1]);
        Assert.Equal(["conv_0", "conv_1"], groups.Where(g => g.CanPrune).Select(g => g.Name));
        var reader = Assert.Single(p.Consumers);
        Assert.Equal("conv_3", reader.Node.Name);
        Assert.Same(reader.Map, Assert.Single(q.Consumers).Map);
        // Input channels 0-3 of the reader are p's, 4-7 q's.
        Assert.Equal([0, 1, 2, 3, -1, -1, -1, -1], Enumerable.Range(0, 8).Select(c => reader.Map.ChannelOf(p, c)));
        Assert.Equal([-1, -1, -1, -1, 0, 1, 2, 3], Enumerable.Range(0, 8).Select(c => reader.Map.ChannelOf(q, c)));
        Assert.Equal([0, 2, 3, 4, 5, 6, 7], reader.Map.Kept(p, [0, 2, 3]));
    }

    [Fact]
    public void A_concat_on_the_spatial_axis_keeps_its_inputs_whole_and_names_itself()
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.Concatenated(axis: 2));

        Assert.All(groups, g => Assert.False(g.CanPrune));
        Assert.Equal(2, groups.Count(g => g.BlockedBy == "Concat 'concat_2' joins them along axis 2, not the channel axis 1"));
    }

    [Fact]
    public void A_concat_that_also_reads_an_untracked_value_keeps_its_other_inputs_whole_and_names_itself()
    {
        var model = ChannelModels.Concatenated();
        model.Graph.Node.Single(n => n.OpType == "Concat").Input[1] = "x";

        var groups = ChannelGroupFinder.Find(model);

        Assert.Equal("Concat 'concat_2' also reads 'x', whose channels are not tracked", groups.Single(g => g.Name == "conv_0").BlockedBy);
    }

    [Fact]
    public void A_split_with_computed_sizes_or_on_the_batch_axis_keeps_its_input_whole()
    {
        var computed = ChannelModels.Split(13);
        var split = computed.Graph.Node.Single(n => n.OpType == "Split");
        computed.Graph.Initializer.Remove(computed.Graph.Initializer.Single(t => t.Name == split.Input[1]));
        var batch = ChannelModels.Split(13);
        batch.Graph.Node.Single(n => n.OpType == "Split").Attribute.Single(a => a.Name == "axis").I = 0;

        Assert.StartsWith("Split 'split_2' has split sizes that are not constant", ChannelGroupFinder.Find(computed)[0].BlockedBy);
        Assert.Equal("Split 'split_2' splits them along axis 0, not the channel axis 1", ChannelGroupFinder.Find(batch)[0].BlockedBy);
    }

    [Fact]
    public void A_concat_added_to_a_conv_of_it_ties_that_convs_filters_to_both_inputs_in_one_group()
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.ConcatenatedResidual());

        var tied = Assert.Single(groups, g => g.CanPrune);
        Assert.Equal(8, tied.Channels);
        Assert.Equal(["conv_0", "conv_1", "conv_3"], tied.Producers.Select(p => p.Name));
        Assert.Equal(["conv_3", "conv_6"], tied.Consumers.Select(c => c.Node.Name));
        Assert.Equal(4, tied.Filters[tied.Producers[1]].Count);
        Assert.Equal(4, tied.Filters[tied.Producers[1]].ChannelOf(tied, 0));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(18)]
    public void A_split_on_the_channel_axis_gives_each_branch_its_slice(int opset)
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.Split(opset));

        var split = groups[0];
        Assert.True(split.CanPrune);
        Assert.Equal("split_2", Assert.Single(split.Splits).Node.Name);
        var (left, right) = (split.Consumers[0], split.Consumers[1]);
        var first = opset >= 18 ? 4 : 3;
        Assert.Equal(Enumerable.Range(0, first), Enumerable.Range(0, left.Map.Count).Select(c => left.Map.ChannelOf(split, c)));
        Assert.Equal(Enumerable.Range(first, 8 - first), Enumerable.Range(0, right.Map.Count).Select(c => right.Map.ChannelOf(split, c)));
    }

    [ZooFact]
    public void ResNet20s_last_stage_is_kept_whole_because_a_Shape_reads_it()
    {
        var model = OnnxModelFile.Load(Zoo.PathOf("cifar10", "resnet20.onnx"));
        var prepared = ModelCompressor.Compress(model, Recipe.Parse("fold-batchnorm")).Model;

        var groups = ChannelGroupFinder.Find(prepared);

        Assert.Equal(11, groups.Count(g => g.CanPrune));
        Assert.Contains(groups, g => g.Channels == 64 && g.Producers.Count == 4 && g.BlockedBy == "Shape 'Shape_71' reads them");
    }

    [ZooFact]
    public void The_PP_OCRv4_recognizers_neck_concat_is_followed_at_its_offsets()
    {
        var model = OnnxModelFile.Load(Zoo.PathOf("ocr", "ch_PP-OCRv4_rec_infer.onnx"));
        var prepared = ModelCompressor.Compress(model, Recipe.Parse("hoist-constants+fold-batchnorm")).Model;

        var groups = ChannelGroupFinder.Find(prepared);

        // The backbone's last Conv (its pooled output is the shortcut) and the SVTR branch's last Conv, both read by
        // the neck's Conv over their 960-channel concatenation: 0-479 the shortcut's, 480-959 the branch's.
        var (shortcut, branch) = (groups.Single(g => g.Name == "p2o.Conv.32"), groups.Single(g => g.Name == "p2o.Conv.35"));
        Assert.True(shortcut.CanPrune && branch.CanPrune);
        var reader = branch.Consumers.Single(c => c.Node.Name == "p2o.Conv.36");
        Assert.Same(reader.Map, shortcut.Consumers.Single(c => c.Node.Name == "p2o.Conv.36").Map);
        Assert.Equal(960, reader.Map.Count);
        Assert.Equal([479, -1, 0], new[] { reader.Map.ChannelOf(shortcut, 479), reader.Map.ChannelOf(shortcut, 480), reader.Map.ChannelOf(branch, 480) });
    }
}
