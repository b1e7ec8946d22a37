using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Comparison;

/// <summary>
/// Measures the original model and its compressed candidates side by side in one run: accuracy on the same inputs
/// (<see cref="AccuracyScoring"/>: top-1 for classifiers, character accuracy for CTC text recognizers),
/// latency interleaved (each input runs on every model in turn, so a busy machine slows them all alike), stored size
/// and the weight bytes ONNX Runtime holds.
/// </summary>
public static class ModelComparison
{
    /// <remarks>Each candidate is given as stored: plain ONNX, or a ModelBuild container, whose own size is the stored
    /// size while ONNX Runtime runs the model it decodes to.</remarks>
    /// <returns>The original's measurement first, then one per candidate in the order given.</returns>
    public static IReadOnlyList<ModelMeasurement> Measure(byte[] original, IReadOnlyList<(string Name, byte[] Model)> candidates,
        Dataset data, ComparisonOptions options, IProgress<string>? progress = null)
    {
        var models = candidates.Prepend(("original", original)).ToList();
        var runners = new List<ModelRunner>();
        try
        {
            var decoded = models.Select(m => ModelContainer.DecodeIfContainer(m.Item2)).ToList();
            foreach (var model in decoded)
                runners.Add(ModelRunner.Open(model));

            var scores = AccuracyScoring.Score(runners, data, options.Charset);
            progress?.Report($"evaluated {models.Count} models on {data.Count} inputs ({scores[0].Metric.ShortName()})");

            var latencyInputs = data.Inputs.Take(options.LatencyInputs).ToList();
            var latencies = LatencyMeter.MedianPerInput(runners, latencyInputs, options.WarmupRounds, options.LatencyRounds);
            progress?.Report($"timed {models.Count} models on {latencyInputs.Count} inputs x {options.LatencyRounds} rounds, interleaved");

            return models.Select((model, i) => new ModelMeasurement(
                model.Item1,
                scores[i].Accuracy,
                scores[i].Metric,
                scores[i].Top5,
                latencies[i].TotalMilliseconds,
                model.Item2.LongLength,
                MemoryFootprint.WeightBytes(decoded[i]),
                data.Count,
                scores[i].Text) { PerClass = scores[i].PerClass }).ToList();
        }
        finally
        {
            foreach (var runner in runners) runner.Dispose();
        }
    }
}
