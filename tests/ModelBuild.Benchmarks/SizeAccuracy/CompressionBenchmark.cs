using System.Diagnostics;
using ModelBuild.Compression;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Benchmarks.SizeAccuracy;

/// <summary>
/// `dotnet run -c Release -- --compression [name,name]` (issue 11 item 5): every step combination of
/// <see cref="Recipes"/> on the models of <see cref="Goals"/>, through the real compressor: stored bytes, ratio,
/// accuracy and its drop from fp32 on inputs disjoint from the calibration ones, latency interleaved against fp32,
/// and the cost of compressing (CPU seconds and peak working set of a child process that only compresses).
/// </summary>
public static class CompressionBenchmark
{
    public const string Argument = "--compression";

    /// <summary>
    /// The step combinations, as recipe text, in the order of the table. A recipe naming a step the grammar does not
    /// have yet (another branch's) is listed as skipped, so adding a row is one line here.
    /// </summary>
    public static readonly IReadOnlyList<string> Recipes =
    [
        "none",
        "huffman",
        "int8+huffman",
        "int8+cluster:6+huffman",
        "int8+cluster:5+huffman",
        "int8+cluster:4+huffman",
        "int8+cluster:3+huffman",
        "int8+cluster:2+huffman",
        "int8+cluster:3:16+huffman",
        "cluster:5+huffman",
        "cluster:4+huffman",
        "prune:0.5+int8+cluster:4+huffman",
        "int4+huffman",
        "int3+huffman",
        "prune:0.75+int4+huffman",
        "prune:0.9+int4+huffman",
    ];

    /// <summary>The recipe whose compression cost is printed per model: the slowest of the step combinations that exist here.</summary>
    public const string CostRecipe = "int8+cluster:4+huffman";

    /// <summary>The model <c>auto</c>'s whole search is timed on (issue 11 item 6: at most 10 CPU-minutes and 2 GB).</summary>
    public const string AutoCostSubject = "cifar10-resnet20";

    /// <summary>The benchmark's subjects (ZooSubjects names) with issue 11's size goal at a drop of at most one point.</summary>
    public static readonly IReadOnlyList<(string Subject, double GoalRatio)> Goals =
    [
        ("mnist", 8),
        ("fashion-mnist", 16),
        ("cifar10-resnet20", 8),
        ("ocr-rec (PP-OCRv4)", 6),
        ("fmnist-bn-cnn-pruned85", 40),
    ];

    private const int LatencyWarmupRounds = 1;
    private const int LatencyRounds = 3;

    public static IReadOnlyList<string> Names() => Goals.Select(goal => goal.Subject).ToList();

    public static IReadOnlyList<CompressionModelResult> Run(IReadOnlyCollection<string>? only, TextWriter log)
    {
        var results = new List<CompressionModelResult>();
        foreach (var (name, goal) in Goals.Where(g => only is null || only.Contains(g.Subject)))
        {
            var subject = ZooSubjects.All().Single(s => s.Name == name);
            results.Add(Measure(subject, goal, log));
        }
        return results;
    }

    private static CompressionModelResult Measure(BenchmarkSubject subject, double goal, TextWriter log)
    {
        var original = File.ReadAllBytes(subject.ModelPath);
        var model = OnnxModelFile.Parse(original, subject.ModelPath);
        var settings = new CompressionSettings { CalibrationInputs = subject.CalibrationInputs(), Int8 = subject.Int8Options };
        var rows = new List<CompressionRow>();
        var decoded = new List<byte[]>();
        foreach (var text in Recipes)
        {
            Recipe recipe;
            try
            {
                recipe = Recipe.Parse(text);
            }
            catch (RecipeException e)
            {
                rows.Add(new CompressionRow(text, null) { Note = $"skipped: {e.Reason}" });
                continue;
            }
            log.WriteLine($"{subject.Name}: {text}");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = ModelCompressor.Compress(model, recipe, settings);
            var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var stored = result.StoredBytes();
            var onnx = ModelContainer.DecodeIfContainer(stored);
            AccuracyMeasurement accuracy;
            using (var runner = ModelRunner.Open(onnx)) accuracy = subject.MeasureAccuracy(runner);
            decoded.Add(onnx);
            rows.Add(new CompressionRow(text, new CompressionMeasurement(stored.Length, (double)original.Length / stored.Length, accuracy, seconds))
            {
                Note = string.Join(", ", result.Warnings.Select(w => w.Code).Distinct()),
            });
        }

        log.WriteLine($"{subject.Name}: latency, interleaved");
        var runners = decoded.Select(ModelRunner.Open).ToList();
        try
        {
            var latencies = LatencyMeter.MedianPerInput(runners, subject.LatencyInputs(), LatencyWarmupRounds, LatencyRounds);
            var measured = rows.Where(row => row.Measurement is not null).ToList();
            for (var i = 0; i < measured.Count; i++)
                measured[i].Measurement!.Latency = latencies[i] / latencies[0];
        }
        finally
        {
            runners.ForEach(runner => runner.Dispose());
        }

        log.WriteLine($"{subject.Name}: cost of {CostRecipe} in a child process");
        var cost = CompressionCostProbe.Measure(subject.Name, CostRecipe);
        CompressionCost? auto = null;
        if (subject.Name == AutoCostSubject)
        {
            log.WriteLine($"{subject.Name}: cost of auto in a child process");
            auto = CompressionCostProbe.Measure(subject.Name, RecipeSteps.Auto);
        }
        return new CompressionModelResult(subject.Name, original.Length, goal, rows, cost) { AutoCost = auto };
    }
}
