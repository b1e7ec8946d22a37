using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Compression.Tests.Support;
using OutputError = ModelBuild.Compression.StructuredPruning.OutputError;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.StructuredPruning;

/// <summary>
/// Channel groups through Concat (offsets) and Split (slices): removing channels that are exactly zero must leave the
/// outputs as they were (only the right input channels of the readers go, the Split sizes follow), and the whole step
/// must give a smaller model ONNX Runtime runs with the same signature.
/// </summary>
public sealed class ConcatSplitPruningTests
{
    [Fact]
    public void Cutting_zero_channels_of_both_concat_inputs_removes_the_readers_columns_at_their_offsets()
    {
        var original = ChannelModels.Concatenated(zeroFilters: true);
        original.Graph.ValueInfo.Add(OnnxModelBuilder.ValueInfo("both", TensorProto.Types.DataType.Float, "N", 8, 6, 6));

        var pruned = Cut(original, (0, [0, 2, 3]), (1, [0, 1, 3]));

        AssertSameOutputs(original, pruned);
        // The concatenation's recorded 8-channel shape is dropped, not left stale.
        Assert.DoesNotContain(pruned.Graph.ValueInfo, v => v.Name == "both");
        Assert.Equal([3, 2, 1, 1], ChannelModels.Weight(pruned, "conv_0").Dims);
        Assert.Equal([3, 2, 1, 1], ChannelModels.Weight(pruned, "conv_1").Dims);
        // The reader keeps its original columns 0, 2, 3 (p's) and 4, 5, 7 (q's), untouched.
        var reader = TensorData.ReadFloats(ChannelModels.Weight(original, "conv_3"));
        Assert.Equal(Columns(reader, 8, [0, 2, 3, 4, 5, 7]), TensorData.ReadFloats(ChannelModels.Weight(pruned, "conv_3")));
        Assert.Equal(MultiplyAccumulates(original) * 6 / 8, MultiplyAccumulates(pruned));
    }

    [Fact]
    public void Cutting_zero_channels_of_a_residual_concat_cuts_every_producer_at_its_offset()
    {
        var original = ChannelModels.ConcatenatedResidual(zeroFilters: true);

        var pruned = Cut(original, (0, [0, 2, 3, 4, 5, 7]));

        AssertSameOutputs(original, pruned);
        Assert.Equal([3, 2, 1, 1], ChannelModels.Weight(pruned, "conv_0").Dims);
        Assert.Equal([3, 2, 1, 1], ChannelModels.Weight(pruned, "conv_1").Dims);
        Assert.Equal([6, 6, 3, 3], ChannelModels.Weight(pruned, "conv_3").Dims);
        Assert.Equal([3, 6, 1, 1], ChannelModels.Weight(pruned, "conv_6").Dims);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(18)]
    public void Cutting_zero_channels_before_a_split_rewrites_its_sizes_in_the_opsets_form(int opset)
    {
        var original = ChannelModels.Split(opset, zeroFilters: true);
        original.Graph.ValueInfo.Add(OnnxModelBuilder.ValueInfo("right", TensorProto.Types.DataType.Float, "N", opset >= 18 ? 4 : 5, 6, 6));

        var pruned = Cut(original, (0, [0, 2, 3, 4, 5, 7]));

        AssertSameOutputs(original, pruned);
        Assert.DoesNotContain(pruned.Graph.ValueInfo, v => v.Name == "right");
        var split = pruned.Graph.Node.Single(n => n.OpType == "Split");
        long[] sizes = opset < 13 ? split.Attribute.Single(a => a.Name == "split").Ints.ToArray()
            : TensorData.ReadInt64s(pruned.Graph.Initializer.Single(t => t.Name == split.Input[1]));
        Assert.Equal(opset >= 18 ? [3, 3] : [2, 4], sizes);
        Assert.DoesNotContain(split.Attribute, a => a.Name == "num_outputs");
        Assert.Equal(opset >= 18 ? [2, 3, 1, 1] : [2, 2, 1, 1], ChannelModels.Weight(pruned, "conv_3").Dims);
    }

    public static TheoryData<string> Models => ["concat", "residual", "split11", "split13", "split18"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Prune_channels_narrows_groups_through_concat_and_split_and_keeps_the_signature(string name)
    {
        var original = name switch
        {
            "concat" => ChannelModels.Concatenated(),
            "residual" => ChannelModels.ConcatenatedResidual(),
            _ => ChannelModels.Split(int.Parse(name[5..], System.Globalization.CultureInfo.InvariantCulture)),
        };
        var inputs = ChannelModels.Inputs(original, 32);

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5"), new CompressionSettings { CalibrationInputs = inputs });

        Assert.Empty(result.Warnings);
        Assert.Equal(ModelSignature.Inputs(original), ModelSignature.Inputs(result.Model), TensorSignatureComparer.Instance);
        Assert.Equal(ModelSignature.Outputs(original), ModelSignature.Outputs(result.Model), TensorSignatureComparer.Instance);
        Assert.True(MultiplyAccumulates(result.Model) < MultiplyAccumulates(original) * 0.8, $"multiply-accumulates {MultiplyAccumulates(original)} -> {MultiplyAccumulates(result.Model)}");
        // Loads and runs in ONNX Runtime, near the original after the re-fit.
        Assert.True(new OutputError(original, inputs).Of(result.Model) < 0.5);
    }

    // The model with each (group, kept channels) removed in order, as the step applies them, without re-fitting.
    private static ModelProto Cut(ModelProto original, params (int Group, int[] Keep)[] plan)
    {
        var model = original.Clone();
        var groups = ChannelGroupFinder.Find(model);
        var names = new GraphNames(model.Graph);
        foreach (var (group, keep) in plan)
        {
            ChannelRemover.RemoveOutputs(model.Graph, names, groups[group], keep);
            ChannelRemover.RemoveInputs(model.Graph, names, groups[group], keep);
        }
        return model;
    }

    private static void AssertSameOutputs(ModelProto original, ModelProto pruned)
    {
        var inputs = ChannelModels.Inputs(original, 4);
        Assert.True(new OutputError(original, inputs).Of(pruned) < 1e-10, $"output error {new OutputError(original, inputs).Of(pruned):E2}");
    }

    private static long MultiplyAccumulates(ModelProto model) =>
        LayerCost.Measure(model, ChannelModels.Inputs(model, 1)[0]).Sum(c => c.MultiplyAccumulates);

    private static float[] Columns(float[] weight, int columns, int[] kept) =>
        Enumerable.Range(0, weight.Length / columns).SelectMany(row => kept.Select(c => weight[(row * columns) + c])).ToArray();
}
