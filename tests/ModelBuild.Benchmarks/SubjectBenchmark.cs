using ModelBuild.Compression;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx;

namespace ModelBuild.Benchmarks;

/// <summary>Compresses one zoo model with every recipe and measures the variants side by side.</summary>
public static class SubjectBenchmark
{
    private const int LatencyWarmupRounds = 1;
    private const int LatencyRounds = 5;
    private const int SessionStartRepeats = 5;

    public static IReadOnlyList<VariantResult> Run(BenchmarkSubject subject, string scratchFolder, TextWriter log)
    {
        var original = File.ReadAllBytes(subject.ModelPath);
        var variants = Recipe.Known.Select(recipe => Compress(subject, original, recipe)).ToList();

        log.WriteLine($"{subject.Name}: accuracy on {subject.LabeledSetDescription}");
        var accuracy = variants.Select(variant =>
        {
            using var runner = ModelRunner.Open(variant.Bytes);
            return subject.MeasureAccuracy(runner);
        }).ToList();

        log.WriteLine($"{subject.Name}: latency, interleaved");
        var inputs = subject.LatencyInputs();
        var runners = variants.Select(variant => ModelRunner.Open(variant.Bytes)).ToList();
        IReadOnlyList<TimeSpan> latencies;
        try
        {
            latencies = LatencyMeter.MedianPerInput(runners, inputs, LatencyWarmupRounds, LatencyRounds);
        }
        finally
        {
            runners.ForEach(runner => runner.Dispose());
        }

        log.WriteLine($"{subject.Name}: session start and peak memory");
        var sessionStarts = MedianSessionStarts(variants.Select(variant => variant.Bytes).ToList());
        var peaks = variants.Select(variant =>
        {
            var path = Path.Combine(scratchFolder, $"{Path.GetFileNameWithoutExtension(subject.ModelPath)}.{variant.Recipe}.onnx");
            File.WriteAllBytes(path, variant.Bytes);
            return MemoryProbe.Measure(path, inputs[0].Shape);
        }).ToList();

        // Recipe.Known lists `none` first: the fp32 reference every ratio is taken against.
        return variants.Select((variant, i) => new VariantResult(
            subject.Name,
            variant.Recipe,
            variant.Warnings,
            variant.Bytes.Length,
            (double)variant.Bytes.Length / original.Length,
            accuracy[i],
            accuracy[i].AgreementWith(accuracy[0]),
            latencies[i],
            latencies[i] / latencies[0],
            sessionStarts[i],
            peaks[i])).ToList();
    }

    private static (string Recipe, byte[] Bytes, string Warnings) Compress(BenchmarkSubject subject, byte[] original, Recipe recipe)
    {
        var result = ModelCompressor.Compress(OnnxModelFile.Parse(original, subject.ModelPath), recipe);
        return (recipe.Name, OnnxModelFile.ToBytes(result.Model), string.Join(", ", result.Warnings.Select(warning => warning.Code)));
    }

    // Interleaved like the latencies, so a slow moment of the machine does not land on one variant only.
    private static IReadOnlyList<TimeSpan> MedianSessionStarts(IReadOnlyList<byte[]> models)
    {
        var times = models.Select(_ => new List<TimeSpan>()).ToList();
        for (var repeat = 0; repeat < SessionStartRepeats; repeat++)
        {
            for (var i = 0; i < models.Count; i++)
            {
                using var runner = ModelRunner.Open(models[i]);
                times[i].Add(runner.SessionStartTime);
            }
        }
        return times.Select(list => list.Order().ElementAt(list.Count / 2)).ToList();
    }
}
