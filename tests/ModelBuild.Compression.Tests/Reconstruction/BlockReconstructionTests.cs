using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Reconstruction;
using ModelBuild.Compression.Tests.StructuredPruning;
using ModelBuild.Contracts.Recipes;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Tests.Reconstruction;

public sealed class BlockReconstructionTests
{
    [Fact]
    public void Regions_are_cut_at_values_every_path_passes_through_with_a_trailing_relu_joined()
    {
        var regions = BlockFinder.Find(ReconstructionModels.Block().Graph);

        Assert.Equal([("x", "h", 2), ("h", "y", 5)], regions.Select(r => (r.Input, r.Output, r.Nodes.Count)));
    }

    [Theory]
    [InlineData("block", 2)]
    [InlineData("chain", 4)]
    [InlineData("gemms", 2)]
    public void The_engine_forward_matches_onnx_runtime_on_every_supported_region(string which, int supported)
    {
        // Block: strided and padded Convs, a 1x1 Conv, Relu, Add; Chain: Gemm with transB 1 after an unsupported Flatten; Gemms: transB 0 and 1.
        var model = which switch { "block" => ReconstructionModels.Block(), "chain" => ChannelModels.Chain(), _ => ReconstructionModels.Gemms() };
        var inputs = ChannelModels.Inputs(model, 6);
        var checkedRegions = 0;
        foreach (var region in BlockFinder.Find(model.Graph))
        {
            if (BlockEngine.TryCreate(region, model.Graph, out _) is not { } engine) continue;
            var (x, xShape) = Collect(model, region.Input, inputs);
            var (y, yShape) = Collect(model, region.Output, inputs);
            var shape = ChannelMajor.Of(xShape, inputs.Count)!.Value;
            var picks = Enumerable.Range(0, inputs.Count).ToList();

            var (output, outShape) = engine.Forward(ChannelMajor.Gather(x, picks, shape), shape);

            var expected = ChannelMajor.Gather(y, picks, ChannelMajor.Of(yShape, inputs.Count)!.Value);
            Assert.Equal(expected.Length, output.Length);
            Assert.Equal(ChannelMajor.Of(yShape, inputs.Count)!.Value, outShape);
            var worst = expected.Zip(output, (e, o) => Math.Abs(e - o)).Max();
            Assert.True(worst < 1e-4, $"{region.Name}: max abs difference {worst:E2}");
            checkedRegions++;
            // Written back unchanged (transposed again for a transB 0 Gemm, a zero bias added where there was none), the model computes the same.
            var before = model.Clone();
            engine.WriteBack(model.Graph);
            Assert.True(new Compression.StructuredPruning.OutputError(before, inputs).Of(model) < 1e-10, $"{region.Name}: written back");
        }
        Assert.Equal(supported, checkedRegions);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var model = ReconstructionModels.Block();
        var inputs = ChannelModels.Inputs(model, 3);
        foreach (var region in BlockFinder.Find(model.Graph))
        {
            var engine = BlockEngine.TryCreate(region, model.Graph, out _)!;
            var (x, xShape) = Collect(model, region.Input, inputs);
            var shape = ChannelMajor.Of(xShape, inputs.Count)!.Value;
            var batch = ChannelMajor.Gather(x, Enumerable.Range(0, inputs.Count).ToList(), shape);
            // Loss: sum of output * fixed random weights, so every output element's gradient is known and nonzero.
            var random = new Random(3);
            var (first, _) = engine.Forward(batch, shape);
            var probe = first.Select(_ => random.NextSingle() - 0.5f).ToArray();
            double Loss() => engine.Forward(batch, shape).Values.Zip(probe, (o, p) => (double)o * p).Sum();
            engine.Forward(batch, shape);
            engine.ZeroGradients();
            engine.Backward(region.Output, probe);

            var center = Loss();
            int tested = 0, kinks = 0;
            foreach (var (values, gradient, _) in engine.Parameters)
            {
                for (var i = 0; i < values.Length; i += Math.Max(1, values.Length / 7))
                {
                    const float h = 2e-3f;
                    var saved = values[i];
                    values[i] = saved + h;
                    var up = Loss();
                    values[i] = saved - h;
                    var down = Loss();
                    values[i] = saved;
                    bool Close(double a, double b) => Math.Abs(a - b) <= 2e-3 + (2e-2 * Math.Abs(b));
                    // A Relu switching inside [-h, h] makes the two one-sided slopes differ: no derivative to compare there.
                    if (!Close((up - center) / h, (center - down) / h)) { kinks++; continue; }
                    var numeric = (up - down) / (2 * h);
                    Assert.True(Close(gradient[i], numeric), $"{region.Name} parameter {i}: analytic {gradient[i]:E3}, numeric {numeric:E3}");
                    tested++;
                }
            }
            Assert.True(tested > 10 && kinks < tested / 3, $"{region.Name}: {tested} compared, {kinks} at a kink");
        }
    }

    [Fact]
    public void Reconstruction_lowers_the_held_out_error_of_a_perturbed_model_and_its_output_error()
    {
        var original = ReconstructionModels.Block();
        var changed = ReconstructionModels.Block(noise: 0.4f);
        var inputs = ChannelModels.Inputs(original, 96);
        var error = new Compression.StructuredPruning.OutputError(original, inputs.Skip(64).ToList());
        var before = error.Of(changed);

        var outcomes = BlockReconstruction.Apply(changed, original, inputs, new ReconstructionSettings(Iterations: 150, LearningRate: 1e-2f, HeldOut: 24, JointIterations: 0), null);

        Assert.All(outcomes, o => Assert.True(o.Kept && o.After < 0.7 * o.Before, $"{o.Region}: {o.Before:E2} -> {o.After:E2}"));
        Assert.True(error.Of(changed) < 0.7 * before, $"output error {before:E2} -> {error.Of(changed):E2}");
    }

    [Fact]
    public void Consecutive_regions_are_then_trained_as_one_and_the_result_kept_only_where_it_helped()
    {
        var original = ReconstructionModels.Block();
        var changed = ReconstructionModels.Block(noise: 0.4f);
        var inputs = ChannelModels.Inputs(original, 96);
        var lines = new List<string>();

        var outcomes = BlockReconstruction.Apply(changed, original, inputs, new ReconstructionSettings(Iterations: 100, HeldOut: 24, JointIterations: 100), new Support.SynchronousProgress(lines.Add));

        Assert.Equal(["h", "y", "h..y"], outcomes.Select(o => o.Region));
        var joint = outcomes[2];
        Assert.Null(joint.Skipped);
        // The run starts from the regions as block by block training left them.
        Assert.Equal(outcomes[1].Kept ? outcomes[1].After : outcomes[1].Before, joint.Before, 1e-6);
        Assert.Equal(joint.Kept, joint.After < joint.Before);
        Assert.Contains(lines, l => l.StartsWith("reconstruction: h..y: held-out error ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_values_held_for_training_stay_within_the_memory_bound_by_using_fewer_fitting_inputs()
    {
        var original = ReconstructionModels.Block();
        var changed = ReconstructionModels.Block(noise: 0.4f);
        var inputs = ChannelModels.Inputs(original, 96);
        var settings = new ReconstructionSettings(Iterations: 50, HeldOut: 24, JointIterations: 0);

        var unbounded = BlockReconstruction.Apply(changed.Clone(), original, inputs, settings, null);
        // Region h holds its input (x), output and target (h before its Relu) per input; 40 inputs' worth of them.
        var perInput = 4L * ((3 * 9 * 7) + (2 * 4 * 4 * 7));
        var bounded = BlockReconstruction.Apply(changed, original, inputs, settings with { MaxValueBytes = 40 * perInput }, null);

        // 72 fitting inputs (9 x 7 images: too small for augmented copies).
        Assert.All(unbounded, o => Assert.Equal(72, o.Fitting));
        Assert.Equal(40 - 24, bounded[0].Fitting);
        Assert.All(bounded, o => Assert.True(o.Fitting < 72 && o.Before > 0, $"{o.Region}: {o.Fitting} fitting inputs"));
    }

    [Fact]
    public void A_step_that_makes_a_block_worse_is_not_kept()
    {
        var original = ReconstructionModels.Block();
        var changed = ReconstructionModels.Block(noise: 0.05f);
        var inputs = ChannelModels.Inputs(original, 64);
        var weights = Weights(changed);

        // A learning rate far too large: training only makes the blocks worse.
        var outcomes = BlockReconstruction.Apply(changed, original, inputs, new ReconstructionSettings(Iterations: 20, LearningRate: 50f, HeldOut: 16), null);

        Assert.All(outcomes, o => Assert.False(o.Kept, $"{o.Region}: {o.Before:E2} -> {o.After:E2}"));
        Assert.Equal(weights, Weights(changed));
    }

    /// <summary>A batch is one shape: calibration inputs of several widths (the PP-OCRv4 recognizer's text lines) leave every region as it is.</summary>
    [Fact]
    public void Calibration_inputs_of_several_shapes_leave_every_region_as_it_is()
    {
        var original = ReconstructionModels.Block(width: "W");
        var changed = ReconstructionModels.Block(noise: 0.3f, width: "W");
        var random = new Random(3);
        var inputs = Enumerable.Range(0, 48).Select(i => new Data.ImageTensor(Enumerable.Range(0, 3 * 9 * (7 + (i % 3))).Select(_ => random.NextSingle()).ToArray(), [1, 3, 9, 7 + (i % 3)])).ToList();
        var weights = Weights(changed);

        var outcomes = BlockReconstruction.Apply(changed, original, inputs, new ReconstructionSettings(Iterations: 10, LearningRate: 1e-2f, HeldOut: 16), null);

        Assert.All(outcomes, o => Assert.Equal("its values differ in size between calibration inputs (inputs of several shapes)", o.Skipped));
        Assert.Equal(weights, Weights(changed));
    }

    [Fact]
    public void A_region_with_an_unsupported_operator_keeps_its_weights_and_says_which()
    {
        var original = ReconstructionModels.Block(activation: "Sigmoid");
        var changed = ReconstructionModels.Block(activation: "Sigmoid", noise: 0.3f);
        var inputs = ChannelModels.Inputs(original, 64);
        var block = changed.Graph.Initializer.Where(t => t.Name is "a.weight" or "b.weight").Select(t => t.RawData.ToByteArray()).ToList();
        var lines = new List<string>();

        var outcomes = BlockReconstruction.Apply(changed, original, inputs, new ReconstructionSettings(Iterations: 30, LearningRate: 1e-2f, HeldOut: 16), new Support.SynchronousProgress(lines.Add));

        Assert.Equal("Sigmoid 'sigmoid_3' is not supported", outcomes.Single(o => o.Region == "y").Skipped);
        Assert.True(outcomes.Single(o => o.Region == "h").Kept);
        var conv = changed.Graph.Node.Where(n => n.OpType == "Conv").Skip(1).Select(n => changed.Graph.Initializer.Single(t => t.Name == n.Input[1]).RawData.ToByteArray()).ToList();
        Assert.Equal(block, conv);
        Assert.Contains("reconstruction: y keeps its weights: Sigmoid 'sigmoid_3' is not supported", lines);
    }

    [Fact]
    public void Prune_channels_with_block_repair_compares_narrowed_regions_with_the_originals_kept_channels()
    {
        var original = ChannelModels.Chain();
        var inputs = ChannelModels.Inputs(original, 48);
        var lines = new List<string>();

        var result = ModelCompressor.Compress(original, Recipe.Parse("prune-channels:0.5:channels:1:blocks"), new CompressionSettings { CalibrationInputs = inputs }, new Support.SynchronousProgress(lines.Add));

        Assert.Empty(result.Warnings);
        var all = string.Join("\n", lines);
        // Every Conv and the first Gemm lost filters. The first region's kept filters are untouched: against the same
        // channels of the original's value it has no error (against any others it would).
        Assert.True(lines.Contains("reconstruction: r1: nothing to repair"), all);
        // The later narrowed regions read narrowed inputs: they are trained (kept only where the held-out error fell).
        Assert.True(lines.Any(l => l.StartsWith("reconstruction: r2: held-out error ", StringComparison.Ordinal)), all);
        Assert.True(lines.Any(l => l.StartsWith("reconstruction: r3: held-out error ", StringComparison.Ordinal)), all);
        Assert.Contains("reconstruction: p1 keeps its weights: MaxPool 'maxpool_2' is not supported", lines);
        Assert.True(lines.Any(l => l.StartsWith("reconstruction: scores: held-out error ", StringComparison.Ordinal)), all);
        Assert.True(new Compression.StructuredPruning.OutputError(original, inputs).Of(result.Model) < 0.5);
    }

    private static List<float[]> Weights(ModelProto model) =>
        model.Graph.Node.Where(n => n.OpType == "Conv").SelectMany(n => n.Input.Skip(1)).Select(name => Onnx.TensorData.ReadFloats(model.Graph.Initializer.Single(t => t.Name == name))).ToList();

    private static (List<float[]> Samples, long[] Shape) Collect(ModelProto model, string name, IReadOnlyList<ImageTensor> inputs)
    {
        var samples = new List<float[]>();
        var shape = Array.Empty<long>();
        using var runner = new ExposedValueRunner(model, [name]);
        foreach (var input in inputs) runner.Run(input, (_, values, s) => { samples.Add(values.ToArray()); shape = s; });
        return (samples, shape);
    }
}
