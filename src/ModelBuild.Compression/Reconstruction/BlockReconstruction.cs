using System.Diagnostics;
using System.Globalization;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// BRECQ-style block reconstruction after a repair: each region between two cut values (<see cref="BlockFinder"/>)
/// that <see cref="BlockEngine"/> can run is trained by Adam so that its output, fed the inputs the changed model gives
/// it, matches the original model's output for the same calibration inputs (no labels: the original is the teacher).
/// Regions are trained in graph order, each on inputs from the model with the earlier regions already trained. The
/// trained weights are kept only where the error on held-out calibration inputs went down.
/// </summary>
internal static class BlockReconstruction
{
    /// <param name="model">The changed model, trained in place (value names as in <paramref name="original"/>).</param>
    /// <param name="original">The teacher.</param>
    /// <param name="inputs">Calibration inputs; the last quarter (at most <see cref="ReconstructionSettings.HeldOut"/>) is held out.</param>
    /// <param name="settings">Steps, batch, learning rate, loss placement.</param>
    /// <param name="progress">Where each region's outcome is reported.</param>
    /// <param name="narrowed">
    /// Values with fewer channels than in the original (pruned channel groups), each with the positions of its
    /// channels in the original's value: a region with such an output is trained against those channels.
    /// </param>
    public static IReadOnlyList<BlockOutcome> Apply(ModelProto model, ModelProto original, IReadOnlyList<ImageTensor> inputs, ReconstructionSettings settings, IProgress<string>? progress, IReadOnlyDictionary<string, int[]>? narrowed = null)
    {
        narrowed ??= new Dictionary<string, int[]>();
        var outcomes = new List<BlockOutcome>();
        var heldOut = Math.Min(settings.HeldOut, inputs.Count / 4);
        if (inputs.Count - heldOut < 1 || heldOut < 1) return outcomes;
        // Held-out inputs stay as they are, last.
        inputs = [.. AugmentedInputs.Expand(inputs.Take(inputs.Count - heldOut).ToList(), settings.Augmentations, settings.Seed), .. inputs.Skip(inputs.Count - heldOut)];
        var regions = BlockFinder.Find(model.Graph);
        foreach (var region in regions) outcomes.Add(TrainOne(region, settings));
        if (settings.JointIterations == 0) return outcomes;

        // Then each run of consecutive trained regions as one, against the original's value at its end: errors that
        // block by block training left are taken up where they add up (MiR's mimicking of the last feature map, the
        // classifier then re-fitted to it). The regions after a run are trained again on their new inputs.
        var runs = Runs(regions, outcomes);
        if (runs.Count == 0) return outcomes;
        var joint = settings with { Iterations = settings.JointIterations };
        var runAt = runs.ToDictionary(run => run[0]);
        var inRuns = runs.SelectMany(run => run).ToHashSet();
        var trained = regions.Select((_, i) => outcomes[i].Skipped is null).ToList();
        // In graph order from the first run: a run as one region, a trained region outside the runs again.
        for (var i = regions.TakeWhile(r => !runAt.ContainsKey(r)).Count(); i < regions.Count; i++)
        {
            if (runAt.TryGetValue(regions[i], out var run))
                outcomes.Add(TrainOne(new BlockRegion(run[0].Input, run[^1].Output, [.. run.SelectMany(r => r.Nodes)]), joint, $"{run[0].Name}..{run[^1].Name}"));
            else if (trained[i] && !inRuns.Contains(regions[i])) outcomes.Add(TrainOne(regions[i], settings));
        }
        return outcomes;

        BlockOutcome TrainOne(BlockRegion region, ReconstructionSettings with, string? name = null)
        {
            name ??= region.Name;
            if (BlockEngine.TryCreate(region, model.Graph, out var unsupported) is not { } engine)
            {
                progress?.Report($"reconstruction: {name} keeps its weights: {unsupported} is not supported");
                return new BlockOutcome(name, $"{unsupported} is not supported", 0, 0, false);
            }
            var clock = Stopwatch.StartNew();
            var outcome = Train(engine, region, model, original, inputs, heldOut, with, narrowed) with { Region = name };
            if (outcome.Kept) engine.WriteBack(model.Graph);
            if (outcome.Skipped is not null) progress?.Report($"reconstruction: {name} keeps its weights: {outcome.Skipped}");
            else if (outcome.Before < NothingToRepair) progress?.Report($"reconstruction: {name}: nothing to repair");
            else progress?.Report(string.Create(CultureInfo.InvariantCulture, $"reconstruction: {name}: held-out error {outcome.Before:P3} -> {outcome.After:P3}{(outcome.Kept ? "" : " (not kept)")} in {clock.Elapsed.TotalSeconds:F1} s on {outcome.Fitting} inputs"));
            return outcome;
        }
    }

    // Runs of two or more consecutive regions that were trained (not skipped), from the first that had something to repair.
    private static List<List<BlockRegion>> Runs(IReadOnlyList<BlockRegion> regions, IReadOnlyList<BlockOutcome> outcomes)
    {
        var runs = new List<List<BlockRegion>>();
        var current = new List<BlockRegion>();
        for (var i = 0; i <= regions.Count; i++)
        {
            var trained = i < regions.Count && outcomes[i].Skipped is null;
            if (trained && (current.Count > 0 || outcomes[i].Before >= NothingToRepair)) current.Add(regions[i]);
            if (trained) continue;
            if (current.Count >= 2) runs.Add(current);
            current = [];
        }
        return runs;
    }

    private static BlockOutcome Train(BlockEngine engine, BlockRegion region, ModelProto model, ModelProto original, IReadOnlyList<ImageTensor> inputs, int heldOut, ReconstructionSettings settings, IReadOnlyDictionary<string, int[]> narrowed)
    {
        // The loss may be taken before the region's last Relu: there its gradient does not vanish where the output is 0.
        var last = region.Nodes[^1];
        var target = settings.BeforeActivation && last.OpType == "Relu" && region.Nodes.Any(n => n.Output[0] == last.Input[0]) ? last.Input[0] : region.Output;
        IReadOnlyList<string> names = target == region.Output ? [region.Output] : [region.Output, target];
        // Every input's values are held (the region's input, output and target): at most MaxValueBytes of them, the
        // last fitting inputs (augmented copies) left out first; one held-out input's values give the size.
        var sizer = inputs.Skip(inputs.Count - 1).ToList();
        var perInput = 4L * (Collect(model, [region.Input], sizer)[0].Samples[0].Length + Collect(original, names, sizer).Sum(v => v.Samples[0].Length));
        var fitting = (int)Math.Clamp((settings.MaxValueBytes / Math.Max(perInput, 1)) - heldOut, 1, inputs.Count - heldOut);
        if (fitting < inputs.Count - heldOut) inputs = [.. inputs.Take(fitting), .. inputs.Skip(inputs.Count - heldOut)];
        var x = Collect(model, [region.Input], inputs)[0];
        var teacher = Collect(original, names, inputs);
        var y = teacher[0];
        var t = teacher[^1];
        var fit = Enumerable.Range(0, inputs.Count - heldOut).ToList();
        var held = Enumerable.Range(fit.Count, heldOut).ToList();
        if (ChannelMajor.Of(x.Shape, 1) is null) return new BlockOutcome(region.Name, $"input shape [{string.Join(", ", x.Shape)}]", 0, 0, false);
        // A batch is one shape: inputs of several sizes (text lines of several widths) give values of several sizes.
        if (new[] { x, y, t }.Any(value => value.Samples.Any(sample => sample.Length != value.Samples[0].Length)))
            return new BlockOutcome(region.Name, "its values differ in size between calibration inputs (inputs of several shapes)", 0, 0, false);
        // A narrowed output is compared with the original's kept channels.
        y = KeptChannels(y, narrowed.GetValueOrDefault(region.Output));
        t = KeptChannels(t, narrowed.GetValueOrDefault(target));

        double Error()
        {
            double sum = 0, energy = 0;
            foreach (var batch in held.Chunk(settings.BatchSize))
            {
                var shape = ChannelMajor.Of(x.Shape, batch.Length)!.Value;
                var (output, outShape) = engine.Forward(ChannelMajor.Gather(x.Samples, batch, shape), shape);
                var expected = ChannelMajor.Gather(y.Samples, batch, outShape);
                for (var i = 0; i < output.Length; i++)
                {
                    var d = (double)output[i] - expected[i];
                    sum += d * d;
                    energy += (double)expected[i] * expected[i];
                }
            }
            return sum / Math.Max(energy, 1e-30);
        }

        double before;
        try
        {
            // A region whose output was narrowed in a way the pruning did not describe has no counterpart to match.
            var probe = ChannelMajor.Of(x.Shape, 1)!.Value;
            var produced = engine.Forward(ChannelMajor.Gather(x.Samples, [0], probe), probe).Shape;
            if (ChannelMajor.Of(y.Shape, 1) != produced || t.Samples[0].Length != engine.Value(target).Values.Length)
                return new BlockOutcome(region.Name, $"its output has {produced.Channels} channels here, {y.Shape[1]} in the original", 0, 0, false);
            before = Error();
            // Nothing upstream changed (a stage before the first cut): nothing to repair, no time spent.
            if (before < NothingToRepair) return new BlockOutcome(region.Name, null, before, before, false);
        }
        catch (InvalidOperationException e)
        {
            return new BlockOutcome(region.Name, e.Message, 0, 0, false);
        }
        var start = engine.Snapshot();
        var adam = new AdamState(engine);
        var random = new Random(settings.Seed);
        var order = fit.ToArray();
        var position = order.Length;
        for (var step = 1; step <= settings.Iterations; step++)
        {
            var batch = new int[Math.Min(settings.BatchSize, order.Length)];
            for (var b = 0; b < batch.Length; b++)
            {
                if (position == order.Length) { random.Shuffle(order); position = 0; }
                batch[b] = order[position++];
            }
            var shape = ChannelMajor.Of(x.Shape, batch.Length)!.Value;
            engine.Forward(ChannelMajor.Gather(x.Samples, batch, shape), shape);
            var (output, outShape) = engine.Value(target);
            var expected = ChannelMajor.Gather(t.Samples, batch, outShape);
            var gradient = new float[output.Length];
            var scale = 2f / output.Length;
            for (var i = 0; i < output.Length; i++) gradient[i] = scale * (output[i] - expected[i]);
            engine.ZeroGradients();
            engine.Backward(target, gradient);
            adam.Step(settings.LearningRate * CosineDecay(step, settings.Iterations));
        }
        var after = Error();
        var kept = after < before;
        if (!kept) engine.Restore(start);
        return new BlockOutcome(region.Name, null, before, after, kept, fit.Count);
    }

    /// <summary>A held-out relative error below this is left alone (float rounding, not damage).</summary>
    public const double NothingToRepair = 1e-7;

    // The learning rate falls to 0 by the last step, as BRECQ's schedule does: the last steps only settle.
    private static float CosineDecay(int step, int steps) => (float)(0.5 * (1 + Math.Cos(Math.PI * (step - 1) / steps)));

    // Only the channels at positions kept of each sample ([1, C, H, W] or [1, C]); all when kept is null or does not fit the shape.
    private static (List<float[]> Samples, long[] Shape) KeptChannels((List<float[]> Samples, long[] Shape) value, int[]? kept)
    {
        if (kept is null || value.Shape.Length is not (2 or 4) || kept.Length == 0 || kept[^1] >= value.Shape[1]) return value;
        var plane = (int)(value.Shape.Length == 4 ? value.Shape[2] * value.Shape[3] : 1);
        if (value.Samples[0].Length != value.Shape[1] * plane) return value;
        var samples = value.Samples.Select(sample =>
        {
            var selected = new float[kept.Length * plane];
            for (var c = 0; c < kept.Length; c++) Array.Copy(sample, kept[c] * plane, selected, c * plane, plane);
            return selected;
        }).ToList();
        var shape = (long[])value.Shape.Clone();
        shape[1] = kept.Length;
        return (samples, shape);
    }

    // Every sample's values for each name (batch 1, ONNX Runtime's layout).
    private static List<(List<float[]> Samples, long[] Shape)> Collect(ModelProto model, IReadOnlyList<string> names, IReadOnlyList<ImageTensor> inputs)
    {
        var result = names.Select(_ => (Samples: new List<float[]>(inputs.Count), Shape: Array.Empty<long>())).ToList();
        using var runner = new ExposedValueRunner(model, names);
        foreach (var input in inputs)
        {
            runner.Run(input, (index, values, shape) =>
            {
                result[index].Samples.Add(values.ToArray());
                result[index] = (result[index].Samples, shape);
            });
        }
        return result;
    }

    private sealed class AdamState
    {
        private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
        private readonly List<(float[] Values, float[] Gradient, float Scale, float[] M, float[] V)> _parameters;
        private int _step;

        public AdamState(BlockEngine engine) =>
            _parameters = engine.Parameters.Select(p => (p.Values, p.Gradient, p.Scale, new float[p.Values.Length], new float[p.Values.Length])).ToList();

        public void Step(float learningRate)
        {
            _step++;
            var correction1 = 1 - MathF.Pow(Beta1, _step);
            var correction2 = 1 - MathF.Pow(Beta2, _step);
            foreach (var (values, gradient, scale, m, v) in _parameters)
            {
                var rate = learningRate * scale / correction1;
                for (var i = 0; i < values.Length; i++)
                {
                    m[i] = (Beta1 * m[i]) + ((1 - Beta1) * gradient[i]);
                    v[i] = (Beta2 * v[i]) + ((1 - Beta2) * gradient[i] * gradient[i]);
                    values[i] -= rate * m[i] / (MathF.Sqrt(v[i] / correction2) + Epsilon);
                }
            }
        }
    }
}

/// <summary>
/// How block reconstruction trains: Adam steps, mini-batch, learning rate relative to each layer's weight RMS, held-out
/// inputs, loss before the last Relu. On ResNet-20 (STRUCTURED.md's split) 1e-2 with 200 steps of 16 repaired about as
/// much as 3e-2, or 400 steps, and more than 1e-3; a loss after the Relu did as well (docs/internals.md has the runs).
/// </summary>
internal sealed record ReconstructionSettings(int Iterations = 200, int BatchSize = 16, float LearningRate = 1e-2f, int HeldOut = 64, bool BeforeActivation = true, int Seed = 1, int JointIterations = 400, int Augmentations = 3, long MaxValueBytes = 1L << 30);

/// <summary>One region's result: why it was skipped (null when trained), held-out error before and after, whether the trained weights were kept, on how many fitting inputs.</summary>
internal sealed record BlockOutcome(string Region, string? Skipped, double Before, double After, bool Kept, int Fitting = 0);
