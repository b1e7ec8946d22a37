using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.StructuredPruning;

public sealed class ChannelGroupFinderTests
{
    [Fact]
    public void A_chain_has_a_group_per_layer_and_the_output_layer_stays_whole()
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.Chain().Graph);

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
        var groups = ChannelGroupFinder.Find(ChannelModels.Residual().Graph);

        var tied = Assert.Single(groups, g => g.CanPrune);
        Assert.Equal(["conv_0", "conv_2"], tied.Producers.Select(p => p.Name));
        Assert.Equal(["conv_2", "conv_5"], tied.Consumers.Select(c => c.Node.Name));
        var output = Assert.Single(groups, g => !g.CanPrune);
        Assert.Contains("graph output 'y'", output.BlockedBy);
    }

    [Fact]
    public void A_concat_keeps_its_inputs_whole_and_names_itself()
    {
        var groups = ChannelGroupFinder.Find(ChannelModels.Concatenated().Graph);

        Assert.All(groups, g => Assert.False(g.CanPrune));
        Assert.Contains(groups, g => g.BlockedBy == "Concat 'concat_2' reads them");
    }

    [ZooFact]
    public void ResNet20s_last_stage_is_kept_whole_because_a_Shape_reads_it()
    {
        var model = OnnxModelFile.Load(Zoo.PathOf("cifar10", "resnet20.onnx"));
        var prepared = ModelCompressor.Compress(model, Recipe.Parse("fold-batchnorm")).Model;

        var groups = ChannelGroupFinder.Find(prepared.Graph);

        Assert.Equal(11, groups.Count(g => g.CanPrune));
        Assert.Contains(groups, g => g.Channels == 64 && g.Producers.Count == 4 && g.BlockedBy == "Shape 'Shape_71' reads them");
    }
}
