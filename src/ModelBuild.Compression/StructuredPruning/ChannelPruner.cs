using System.Globalization;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Reconstruction;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// <c>prune-channels:S</c> on a prepared float model: finds the channel groups, ranks each group's channels by what
/// their removal costs the consumers' outputs after the least-squares refit (<see cref="ReconstructionRanking"/>),
/// measures each group's sensitivity (the model's output error on held-out calibration inputs with only that group
/// pruned and repaired, at ratios of eighths, kept counts in multiples), gives the fraction S of all prunable channels
/// or multiply-accumulates or measured layer time to the groups where it costs least (greedy on error per channel,
/// per multiply-accumulate or per microsecond saved), then removes them, re-fits the consumers (<see cref="ConsumerRefit"/>) and the later layers
/// (<see cref="DownstreamRefit"/>), and, given reconstruction settings (<c>repair</c> = <c>blocks</c>), trains each block against the original's
/// (<see cref="Reconstruction.BlockReconstruction"/>).
/// </summary>
internal static class ChannelPruner
{
    /// <summary>
    /// Calibration inputs for the layer statistics (and so the repair), besides the held-out ones. On ResNet-20 (500
    /// calibration images) 448 rather than 128, with 64 held out rather than 32, lost about half a point less top-1
    /// at 20 and 30 % of the multiply-accumulates, for three times the step's time.
    /// </summary>
    public const int StatisticsInputs = 448;

    /// <summary>Calibration inputs on which each sensitivity is measured (held out of the trial repairs when there are at least three times as many).</summary>
    public const int SensitivityInputs = 64;

    /// <summary>Ratios tried per group: 1/Eighths, 2/Eighths, ... (at least one channel stays).</summary>
    public const int Eighths = 8;

    /// <param name="model">The prepared float model, changed in place.</param>
    /// <param name="options">How much to remove, counted how, in what multiples.</param>
    /// <param name="calibration">Calibration inputs: the first <see cref="StatisticsInputs"/> + <see cref="SensitivityInputs"/> are used.</param>
    /// <param name="progress">Where each group's sensitivity and outcome is reported.</param>
    public static ChannelPruningResult Prune(ModelProto model, ChannelPruningOptions options, IEnumerable<ImageTensor> calibration, IProgress<string>? progress)
    {
        var (fraction, measure, multiple, excludes, reconstruction) = options;
        var groups = ChannelGroupFinder.Find(model);
        // A layer the user keeps as it is (ExcludeNodes/ExcludeOps) keeps its filters and its input channels.
        foreach (var group in groups.Where(g => g.BlockedBy is null && excludes is not null))
        {
            if (group.Filters.Keys.Concat(group.Consumers.Select(c => c.Node)).FirstOrDefault(excludes!) is { } excluded)
                group.BlockedBy = $"{ChannelGroupFinder.Describe(excluded)} is excluded (ExcludeNodes/ExcludeOps)";
        }
        var blocked = groups.Where(g => !g.CanPrune && g.BlockedBy is not null).Select(g => $"{g.Name} ({g.Channels} channels) stays whole: {g.BlockedBy}").ToList();
        foreach (var line in blocked) progress?.Report($"prune-channels: {line}");
        var prunable = Enumerable.Range(0, groups.Count).Where(i => groups[i].CanPrune).ToList();
        var inputs = calibration.Take(StatisticsInputs + SensitivityInputs).ToList();
        // With enough inputs the sensitivity is measured on ones the trial refits never saw: a refit on few inputs
        // fits them far better than others, and the groups must be ranked by how their repair generalizes.
        var holdOut = inputs.Count >= 3 * SensitivityInputs;
        var fitted = holdOut ? inputs.Take(inputs.Count - SensitivityInputs).ToList() : inputs.Take(StatisticsInputs).ToList();
        var measured = holdOut ? inputs.Skip(fitted.Count).ToList() : inputs.Take(SensitivityInputs).ToList();
        var before = LayerCost.Measure(model, inputs[0]);
        if (prunable.Count == 0 || fraction <= 0)
            return new ChannelPruningResult(0, prunable.Sum(i => groups[i].Channels), [], blocked, before, before, 0);

        var consumers = prunable.SelectMany(i => groups[i].Consumers.Select(c => c.Node)).Distinct(NodeIdentity.Comparer).ToList();
        progress?.Report($"prune-channels: {prunable.Count} channel groups can be pruned; gathering the input statistics of {consumers.Count} layers on {fitted.Count} calibration inputs{(holdOut ? $", the sensitivity on {measured.Count} others" : "")}");
        var nodeIndex = model.Graph.Node.Select((node, i) => (node, i)).ToDictionary(p => p.node, p => p.i, NodeIdentity.Comparer);
        var statistics = LayerInputCollector.Collect(model, consumers, fitted).ToDictionary(p => nodeIndex[p.Key], p => p.Value);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var ranking = prunable.ToDictionary(i => i, i => ReconstructionRanking.Rank(groups[i], initializers, node => statistics[nodeIndex[node]]));

        // Sensitivity: the output error with one group pruned by 1/8, 2/8, ... of its channels.
        var error = new OutputError(model, measured);
        var costs = new Dictionary<int, List<(int Removed, double Error)>>();
        foreach (var g in prunable)
        {
            var channels = groups[g].Channels;
            var curve = new List<(int Removed, double Error)> { (0, 0) };
            for (var k = 1; k < Eighths; k++)
            {
                var removed = channels - Aligned(channels - (int)Math.Round(channels * k / (double)Eighths), channels, multiple, groups[g].FiltersPerChannel);
                if (removed <= curve[^1].Removed || removed >= channels) continue;
                var trial = model.Clone();
                Apply(trial, new Dictionary<int, int[]> { [g] = groups[g].Keep(ranking[g], removed) }, statistics);
                if (Measured(error, trial) is not { } trialError)
                {
                    // A graph ONNX Runtime refuses is never kept: the group stays whole.
                    progress?.Report($"prune-channels: {groups[g].Name} stays whole: ONNX Runtime refused the graph with it pruned");
                    curve.RemoveRange(1, curve.Count - 1);
                    break;
                }
                curve.Add((removed, trialError));
            }
            costs[g] = curve;
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"prune-channels: sensitivity of {groups[g].Name} ({channels} channels): {string.Join(", ", curve.Skip(1).Select(p => $"{p.Removed} removed {p.Error:P2}"))}"));
        }

        // Greedy: the next step of the group whose extra error per extra channel (multiply-accumulate, microsecond) removed is smallest.
        var total = prunable.Sum(g => groups[g].Channels);
        var layerCosts = measure switch
        {
            PruningMeasure.Latency => MeasuredLatency(model, before, measured, progress),
            _ => before.Select(c => (c.Layer, Cost: (double)c.MultiplyAccumulates)).ToList(),
        };
        var savings = new PlannedSavings(groups, prunable, layerCosts);
        var step = prunable.ToDictionary(g => g, _ => 0);
        double Saved(Func<int, int> removed) => measure == PruningMeasure.Channels ? prunable.Sum(removed) : savings.Saved(removed);
        int Removed(int g, int at) => costs[g][at].Removed;
        var target = fraction * (measure == PruningMeasure.Channels ? total : layerCosts.Sum(c => c.Cost));
        var savedSoFar = 0.0;
        while (savedSoFar < target - 1e-9)
        {
            var candidates = prunable.Where(g => step[g] + 1 < costs[g].Count)
                .Select(g => (Group: g, Gain: Saved(h => Removed(h, h == g ? step[h] + 1 : step[h])) - savedSoFar))
                .Where(c => c.Gain > 0).ToList();
            if (candidates.Count == 0) break;
            var best = candidates
                .Select(c => (c.Group, Slope: Math.Max(0, costs[c.Group][step[c.Group] + 1].Error - costs[c.Group][step[c.Group]].Error) / c.Gain))
                .OrderBy(c => c.Slope).ThenBy(c => c.Group).First();
            step[best.Group]++;
            savedSoFar = Saved(h => Removed(h, step[h]));
        }
        var removedSoFar = prunable.Sum(g => Removed(g, step[g]));

        var plan = prunable.Where(g => step[g] > 0).ToDictionary(g => g, g => groups[g].Keep(ranking[g], costs[g][step[g]].Removed));
        var unpruned = model.Clone();
        ApplyInOrder(model, plan, inputs, reconstruction, progress);
        if (Measured(error, model) is not { } finalError)
        {
            model.Graph = unpruned.Graph;
            progress?.Report("prune-channels: ONNX Runtime refused the pruned graph; the model is kept as it was");
            return new ChannelPruningResult(0, total, [], blocked, before, before, 0);
        }
        var outcomes = prunable.Select(g => new ChannelGroupOutcome(groups[g].Name, groups[g].Channels, groups[g].Channels - (plan.TryGetValue(g, out var keep) ? keep.Length : groups[g].Channels), costs[g][step[g]].Error)).ToList();
        var after = LayerCost.Measure(model, inputs[0]);
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"prune-channels: removed {removedSoFar} of {total} prunable channels; multiply-accumulates {before.Sum(c => c.MultiplyAccumulates):N0} -> {after.Sum(c => c.MultiplyAccumulates):N0}; output error on {measured.Count} calibration inputs {finalError:P2}"));
        return new ChannelPruningResult(removedSoFar, total, outcomes, blocked, before, after, finalError);
    }

    /// <summary>Removes the channels not kept in each planned group and re-fits their consumers; <paramref name="model"/> is changed.</summary>
    private static void Apply(ModelProto model, IReadOnlyDictionary<int, int[]> plan, IReadOnlyDictionary<int, LayerInputStatistics> statistics)
    {
        var graph = model.Graph;
        // Found again on this copy: the same walk gives the same groups in the same order, over this copy's nodes.
        var groups = ChannelGroupFinder.Find(model);
        var names = new GraphNames(graph);
        var nodeIndex = graph.Node.Select((node, i) => (node, i)).ToDictionary(p => p.node, p => p.i, NodeIdentity.Comparer);
        foreach (var (g, keep) in plan) ChannelRemover.RemoveOutputs(graph, names, groups[g], keep);
        foreach (var (g, keep) in plan)
        {
            var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            var refitted = new Dictionary<NodeProto, RefittedWeights>(NodeIdentity.Comparer);
            foreach (var consumer in groups[g].Consumers)
            {
                var layer = statistics[nodeIndex[consumer.Node]];
                refitted[consumer.Node] = ConsumerRefit.Refit(consumer.Node, initializers, layer, consumer.Map.KeptColumns(groups[g], keep, layer.Columns));
            }
            ChannelRemover.RemoveInputs(graph, names, groups[g], keep, refitted);
        }
    }

    /// <summary>
    /// The plan applied one group at a time, in graph order, each group's consumers re-fitted on the inputs they see
    /// in the model pruned so far against the original's outputs: earlier groups' errors are repaired downstream
    /// instead of adding up.
    /// </summary>
    private static void ApplyInOrder(ModelProto model, IReadOnlyDictionary<int, int[]> plan, IReadOnlyList<ImageTensor> inputs, ReconstructionSettings? reconstruction, IProgress<string>? progress)
    {
        var original = model.Clone();
        var graph = model.Graph;
        var groups = ChannelGroupFinder.Find(model);
        var names = new GraphNames(graph);
        var position = graph.Node.Select((node, i) => (node, i)).ToDictionary(p => p.node, p => p.i, NodeIdentity.Comparer);
        var narrowed = NarrowedValues(groups, plan);
        foreach (var (g, keep) in plan.OrderBy(p => groups[p.Key].Producers.Min(n => position[n])))
        {
            var group = groups[g];
            var consumers = group.Consumers.Select(c => c.Node).ToList();
            var statistics = consumers.Count == 0 ? [] : LayerInputCollector.Collect(model, consumers, inputs, original, group.Consumers.ToDictionary(c => c.Node, c => c.Map, NodeIdentity.Comparer));
            ChannelRemover.RemoveOutputs(graph, names, group, keep);
            var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            var refitted = new Dictionary<NodeProto, RefittedWeights>(NodeIdentity.Comparer);
            foreach (var consumer in group.Consumers)
                refitted[consumer.Node] = ConsumerRefit.Refit(consumer.Node, initializers, statistics[consumer.Node], consumer.Map.KeptColumns(group, keep, statistics[consumer.Node].Columns));
            ChannelRemover.RemoveInputs(graph, names, group, keep, refitted);
            progress?.Report($"prune-channels: {group.Name} keeps {keep.Length} of {group.Channels} channels; re-fitted {string.Join(", ", consumers.Select(ChannelGroupFinder.Describe))}");
        }
        if (plan.Count == 0) return;
        // The layers after the first cut whose inputs kept their width re-fitted too: each takes up the error the
        // narrowed layers before it left, as the consumers did for the channels they lost.
        var first = plan.Keys.Min(g => groups[g].Producers.Min(n => position[n]));
        var refittedConsumers = plan.Keys.SelectMany(g => groups[g].Consumers.Select(c => c.Node)).ToHashSet(NodeIdentity.Comparer);
        var downstream = DownstreamRefit.Apply(model, original, graph.Node.Where(n => position[n] > first && !refittedConsumers.Contains(n)).ToList(), inputs);
        if (downstream.Count > 0) progress?.Report($"prune-channels: re-fitted {downstream.Count} later layers against the original's outputs");
        // Then each block trained against the original's block output (a narrowed one against its kept channels):
        // least squares per layer does not see the Relus between layers.
        if (reconstruction is not null) BlockReconstruction.Apply(model, original, inputs, reconstruction, progress, narrowed);
    }

    // Each value the plan narrows, with the positions of its channels in the original that stay (ascending).
    private static Dictionary<string, int[]> NarrowedValues(IReadOnlyList<ChannelGroup> groups, IReadOnlyDictionary<int, int[]> plan)
    {
        var keeps = plan.ToDictionary(p => groups[p.Key], p => p.Value);
        var narrowed = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (value, map) in plan.Keys.SelectMany(g => groups[g].Values))
        {
            var kept = map.Kept(keeps);
            if (kept.Length < map.OriginalCount) narrowed[value] = kept;
        }
        return narrowed;
    }

    // Each layer's time as ONNX Runtime's profiler measured it; a layer the profile does not name (a kernel named in a
    // way LayerLatency does not know) is costed at its multiply-accumulates times the measured layers' median time per
    // multiply-accumulate, so it is neither free nor left out.
    private static List<(string Layer, double Cost)> MeasuredLatency(ModelProto model, IReadOnlyList<LayerCost> before, IReadOnlyList<ImageTensor> inputs, IProgress<string>? progress)
    {
        var times = LayerLatency.Measure(model, inputs);
        var perMac = before.Where(c => c.MultiplyAccumulates > 0 && times.ContainsKey(c.Layer)).Select(c => times[c.Layer] / c.MultiplyAccumulates).Order().ToList();
        var fallback = perMac.Count > 0 ? perMac[perMac.Count / 2] : 1;
        var costs = before.Select(c => (c.Layer, Cost: times.TryGetValue(c.Layer, out var t) ? t : c.MultiplyAccumulates * fallback)).ToList();
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"prune-channels: measured layer times (µs per input): {string.Join(", ", costs.Select(c => $"{c.Layer} {c.Cost:F1}{(times.ContainsKey(c.Layer) ? "" : " (estimated)")}"))}"));
        return costs;
    }

    // The output error, or null when ONNX Runtime cannot load or run the model (the last line of defence: the finder
    // should have stopped every group whose pruning is unsafe).
    private static double? Measured(OutputError error, ModelProto model)
    {
        try
        {
            return error.Of(model);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return null;
        }
    }

    // The kept count rounded down to a multiple when the group's count is one: ONNX Runtime's blocked kernels (NCHWc
    // float Convs, the symmetric int8 ones) take only such counts, so a group of exactly one multiple stays whole
    // rather than fall off them. A group of another count was never on them and is cut freely. Counted in filters: a
    // channel tied across a grouped Conv's slices is `width` filters, so its kept count steps by multiple / gcd.
    private static int Aligned(int kept, int channels, int multiple, int width)
    {
        var step = multiple / (int)System.Numerics.BigInteger.GreatestCommonDivisor(Math.Max(multiple, 1), width);
        if (step <= 1 || channels % step != 0) return kept;
        return channels < 2 * step ? channels : Math.Max(step, kept / step * step);
    }
}

/// <summary>
/// How much <c>prune-channels</c> removes: <paramref name="Fraction"/> of what <paramref name="Measure"/> counts (each
/// step chosen by error per unit saved); kept counts are multiples of <paramref name="Multiple"/> in groups that have
/// several; a group with a layer <paramref name="Excludes"/> names stays whole.
/// </summary>
internal sealed record ChannelPruningOptions(double Fraction, PruningMeasure Measure, int Multiple = 1, Func<NodeProto, bool>? Excludes = null, ReconstructionSettings? Reconstruction = null);

/// <summary>What <c>prune-channels</c> did to one group: channels before, removed, and the output error its sensitivity measured.</summary>
internal sealed record ChannelGroupOutcome(string Group, int Channels, int Removed, double Error);

/// <summary>What <c>prune-channels</c> did: channels removed of those it could prune, per group, the groups kept whole and why, layer costs before and after.</summary>
internal sealed record ChannelPruningResult(int Removed, int Prunable, IReadOnlyList<ChannelGroupOutcome> Groups, IReadOnlyList<string> Blocked, IReadOnlyList<LayerCost> Before, IReadOnlyList<LayerCost> After, double OutputError);
