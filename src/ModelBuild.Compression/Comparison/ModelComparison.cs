using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Evaluation;

namespace ModelBuild.Compression.Comparison;

/// <summary>
/// Measures the original model and its compressed candidates side by side in one run: accuracy on the same inputs,
/// latency interleaved (each input runs on every model in turn, so a busy machine slows them all alike), stored size
/// and the weight bytes ONNX Runtime holds.
/// </summary>
public static class ModelComparison
{
    /// <returns>The original's measurement first, then one per candidate in the order given.</returns>
    public static IReadOnlyList<ModelMeasurement> Measure(byte[] original, IReadOnlyList<(string Name, byte[] Model)> candidates,
        Dataset data, ComparisonOptions options, IProgress<string>? progress = null)
    {
        var models = candidates.Prepend(("original", original)).ToList();
        var runners = new List<ModelRunner>();
        try
        {
            foreach (var (_, model) in models)
                runners.Add(ModelRunner.Open(model));

            var originalReport = ClassificationEvaluator.Evaluate(runners[0], data.WithLabels(data.Labels ?? new int[data.Count]));
            // Without labels a candidate is scored by how often it agrees with the original's top-1.
            var labels = data.Labels ?? originalReport.Predictions;
            var reports = runners.Select((runner, i) => i == 0 && data.HasLabels ? originalReport : ClassificationEvaluator.Evaluate(runner, data.WithLabels(labels))).ToList();
            progress?.Report($"evaluated {models.Count} models on {data.Count} inputs");

            var latencyInputs = data.Inputs.Take(options.LatencyInputs).ToList();
            var latencies = LatencyMeter.MedianPerInput(runners, latencyInputs, options.WarmupRounds, options.LatencyRounds);
            progress?.Report($"timed {models.Count} models on {latencyInputs.Count} inputs x {options.LatencyRounds} rounds, interleaved");

            var classes = runners[0].Run(data.Inputs[0]).Values.Length;
            return models.Select((model, i) => new ModelMeasurement(
                model.Item1,
                reports[i].Top1,
                !data.HasLabels,
                data.HasLabels && classes >= 5 ? reports[i].Top5 : null,
                latencies[i].TotalMilliseconds,
                model.Item2.LongLength,
                MemoryFootprint.WeightBytes(model.Item2),
                data.Count)).ToList();
        }
        finally
        {
            foreach (var runner in runners) runner.Dispose();
        }
    }
}
