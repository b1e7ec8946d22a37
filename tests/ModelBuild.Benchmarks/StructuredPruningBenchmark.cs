using System.Diagnostics;
using System.Globalization;
using System.Text;
using ModelBuild.Compression;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- --structured [names]`: <c>prune-channels</c> (issue 12) on the zoo's CNNs: multiply-
/// accumulates and parameters before and after, top-1 on the labeled inputs that do not calibrate (every 20th
/// calibrates, as in RESULTS.md; every 4th for ResNet-20), latency interleaved with fp32 and int8 in one loop, the compression's CPU time; then
/// each layer's multiply-accumulates and parameters for the variant named in <see cref="PerLayerRecipe"/>. Writes
/// STRUCTURED.md beside RESULTS.md when every model ran.
/// </summary>
public static class StructuredPruningBenchmark
{
    public const string Argument = "--structured";

    private const int LatencyInputs = 100;
    private const int LatencyRounds = 7;
    private const string PerLayerRecipe = "prune-channels:0.3:macs";

    // The default multiple (16) keeps ONNX Runtime's blocked kernels; the `:1` rows cut freely, for comparison.
    private static readonly string[] Recipes =
    [
        "none", "prune-channels:0.1:macs", "prune-channels:0.2:macs", "prune-channels:0.3:macs",
        "prune-channels:0.3", "prune-channels:0.1:macs:1", "prune-channels:0.2:macs:1", "prune-channels:0.3:macs:1",
        "int8", "prune-channels:0.1:macs+int8", "prune-channels:0.2:macs+int8", "prune-channels:0.3:macs+int8",
        "prune-channels:0.2:macs:1+int8", "prune-channels:0.3:macs:1+int8",
        "prune-channels:0.5:latency", "prune-channels:0.7:latency", "prune-channels:0.5:latency+int8", "prune-channels:0.7:latency+int8",
    ];

    private static readonly string[] TextRecipes = ["none", "prune-channels:0.05:macs", "prune-channels:0.1:macs", "prune-channels:0.2:macs", "prune-channels:0.2:latency"];

    private const string TextModel = "ocr-rec";

    private static IReadOnlyList<ZooClassifier> Models => [ZooModels.FashionMnist, ZooModels.Cifar10ResNet20, ZooModels.FamilyBnCnn];

    public static IEnumerable<string> Names() => Models.Select(m => m.Name).Append(TextModel);

    // ResNet-20's 2,000 labeled images are few: every 4th calibrates (500), leaving 1,500 scored; the repair and
    // the sensitivities it rests on need more than 100 inputs. The others keep RESULTS.md's split.
    private static int CalibrationStride(ZooClassifier model) => model.Name == ZooModels.Cifar10ResNet20.Name ? 4 : ZooSubjects.CalibrationStride;

    /// <param name="names">The models to measure (all when null).</param>
    /// <param name="recipes">Only these recipes (besides <c>none</c>) when given: a quicker run while developing; nothing is written.</param>
    /// <param name="log">Where progress and the tables go.</param>
    public static int Run(IReadOnlyList<string>? names, IReadOnlyList<string>? recipes, TextWriter log)
    {
        var started = DateTime.UtcNow;
        var load = LoadAverage.Read();
        var markdown = new StringBuilder();
        markdown.AppendLine("# Structured pruning (`prune-channels`)").AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Produced by `dotnet run -c Release --project tests/ModelBuild.Benchmarks -- {Argument}`, started {started:yyyy-MM-dd HH:mm} UTC; instruction set {string.Join(" ", QatFoldingBenchmark.InstructionSetFlags())}; ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}; {Environment.ProcessorCount} cores; load average at the start {load}.").AppendLine();
        markdown.AppendLine("Calibration: every 20th labeled input (every 4th for ResNet-20, whose 2,000 are few; the first 512 of them; with at least 192, the last 64 measure each group's sensitivity and the others fit its trial repair, all of them the final one); top-1 on the others. Latency: median per input (batch 1, one thread) over " +
            $"{LatencyInputs} inputs x {LatencyRounds} rounds, every variant of a model interleaved input by input; ratio to `none` from the same loop. MACs: multiply-accumulates of Conv/Gemm/MatMul for one input. `prune-channels:F:macs` removes the fraction F of the model's MACs, choosing each group's share by the measured error per MAC saved; `prune-channels:F:latency` removes F of those layers' time, each layer's time measured by ONNX Runtime's profiler with cold caches, shared by the measured error per microsecond saved; `prune-channels:F` removes F of the prunable output channels; kept counts are multiples of 16 in groups of 32 or more channels that are multiples of 16 (groups of exactly 16 stay whole) unless `:1` lets every count be cut.").AppendLine();
        foreach (var model in Models.Where(m => names is null || names.Contains(m.Name)))
            markdown.Append(Measure(model, Chosen(Recipes, recipes), log));
        if (names is null || names.Contains(TextModel))
            markdown.Append(MeasureText(Chosen(TextRecipes, recipes), log));
        log.WriteLine(markdown.ToString());
        if (names is not null || recipes is not null)
        {
            log.WriteLine("not written to STRUCTURED.md: only some models or recipes were measured");
            return 0;
        }
        var path = Path.Combine(Zoo.RepoRoot, "tests", "ModelBuild.Benchmarks", "STRUCTURED.md");
        OnnxModelFile.WriteAllBytesAtomic(path, Encoding.UTF8.GetBytes(markdown.ToString()));
        log.WriteLine($"written: {path}");
        return 0;
    }

    // The PP-OCRv4 recognizer: its 10 labeled word crops both calibrate and score (no others exist), so the rows say
    // what pruning costs on them, not how it generalizes.
    // `:latency`'s measured layer times, each group's sensitivity and kept count, `:blocks`' per-block errors: worth
    // seeing beside the rows they shaped.
    private sealed class LayerTimesLog(TextWriter log) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value.StartsWith("prune-channels: measured layer times", StringComparison.Ordinal) || value.StartsWith("reconstruction: ", StringComparison.Ordinal)
                || (value.StartsWith("prune-channels: ", StringComparison.Ordinal) && (value.Contains(" sensitivity of ", StringComparison.Ordinal) || value.Contains(" keeps ", StringComparison.Ordinal))))
                log.WriteLine(value);
        }
    }

    // `none` first (the ratios' reference), then the chosen recipes in the order given.
    private static IReadOnlyList<string> Chosen(IReadOnlyList<string> all, IReadOnlyList<string>? chosen) =>
        chosen is null ? all : chosen.Where(r => r != "none").Prepend("none").ToList();

    private static string MeasureText(IReadOnlyList<string> recipes, TextWriter log)
    {
        var words = ZooModels.OcrWords();
        var decoder = ZooModels.OcrDecoder();
        var inputs = words.Select(w => w.Input).ToList();
        var original = OnnxModelFile.Load(ZooModels.OcrRecognizerPath);
        var variants = recipes.Select(recipe =>
        {
            log.WriteLine($"{TextModel}: {recipe}");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = ModelCompressor.Compress(original, Recipe.Parse(recipe), new CompressionSettings { CalibrationInputs = inputs });
            var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            return (Recipe: recipe, Model: OnnxModelFile.ToBytes(result.Model), Seconds: seconds, Macs: LayerCost.Measure(result.Model, inputs[0]).Sum(c => c.MultiplyAccumulates));
        }).ToList();
        var reports = variants.Select(v =>
        {
            using var runner = ModelRunner.Open(v.Model);
            return TextRecognitionEvaluator.Evaluate(runner, words, decoder);
        }).ToList();
        var latency = Latencies(variants.Select(v => v.Model), inputs);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {TextModel} (PP-OCRv4 recognizer; its {words.Count} word crops calibrate and score; MACs for the first crop)").AppendLine();
        text.AppendLine("| recipe | MACs | MACs ratio | CER (ignoring case) | CER rise (points) | exact words | latency ms | latency ratio | compression CPU s |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (var i = 0; i < variants.Count; i++)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[i].Recipe} | {variants[i].Macs:N0} | {(double)variants[i].Macs / variants[0].Macs:F3} | {reports[i].CaseInsensitiveCharacterErrorRate:P2} | {(reports[i].CaseInsensitiveCharacterErrorRate - reports[0].CaseInsensitiveCharacterErrorRate) * 100:F2} | {reports[i].ExactMatches}/{reports[i].Count} | {latency[i].TotalMilliseconds:F3} | {latency[i] / latency[0]:F3} | {variants[i].Seconds:F1} |"));
        }
        return text.AppendLine().ToString();
    }

    // Median latency per input of each model, all interleaved input by input in one loop.
    private static IReadOnlyList<TimeSpan> Latencies(IEnumerable<byte[]> models, IReadOnlyList<ImageTensor> inputs)
    {
        var runners = models.Select(ModelRunner.Open).ToList();
        try
        {
            return LatencyMeter.MedianPerInput(runners, inputs, warmupRounds: 1, LatencyRounds);
        }
        finally
        {
            runners.ForEach(r => r.Dispose());
        }
    }

    private static string Measure(ZooClassifier subject, IReadOnlyList<string> recipes, TextWriter log)
    {
        var labeled = subject.LabeledSet;
        var stride = CalibrationStride(subject);
        bool Calibrates(int i) => i % stride == stride - 1;
        var calibration = labeled.Where((_, i) => Calibrates(i)).Select(s => s.Input).ToList();
        var scored = labeled.Where((_, i) => !Calibrates(i)).ToList();
        var original = OnnxModelFile.Load(subject.ModelPath);
        var settings = new CompressionSettings { CalibrationInputs = calibration };
        var variants = new List<(string Recipe, byte[] Model, long Stored, double Seconds, IReadOnlyList<LayerCost> Costs)>();
        foreach (var recipe in recipes)
        {
            log.WriteLine($"{subject.Name}: {recipe}");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = ModelCompressor.Compress(original, Recipe.Parse(recipe), settings, new LayerTimesLog(log));
            var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var bytes = OnnxModelFile.ToBytes(result.Model);
            // Costs of the float graph: an int8 variant's QDQ weights are counted by the recipe without int8.
            var costs = recipe.Contains("int8", StringComparison.Ordinal) ? [] : LayerCost.Measure(result.Model, calibration[0]);
            variants.Add((recipe, bytes, result.StoredBytes().LongLength, seconds, costs));
        }
        var top1 = variants.Select(v =>
        {
            using var runner = ModelRunner.Open(v.Model);
            return ClassificationEvaluator.Evaluate(runner, scored).Top1;
        }).ToList();
        var latencyInputs = Enumerable.Range(0, LatencyInputs).Select(i => scored[i * scored.Count / LatencyInputs].Input).ToList();
        var latency = Latencies(variants.Select(v => v.Model), latencyInputs);

        var text = new StringBuilder();
        var baseCosts = variants[0].Costs;
        long Macs(IReadOnlyList<LayerCost> costs) => costs.Sum(c => c.MultiplyAccumulates);
        long Parameters(IReadOnlyList<LayerCost> costs) => costs.Sum(c => c.Parameters);
        text.AppendLine(CultureInfo.InvariantCulture, $"## {subject.Name} ({scored.Count:N0} scored, {calibration.Count} calibrate: every {(stride == 4 ? "4th" : $"{stride}th")} labeled image)").AppendLine();
        text.AppendLine("| recipe | MACs | MACs ratio | parameters | stored bytes | top-1 | drop (points) | latency ms | latency ratio | compression CPU s |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            var costs = v.Costs.Count > 0 ? v.Costs : variants.FirstOrDefault(w => w.Recipe == v.Recipe.Replace("+int8", "", StringComparison.Ordinal).Replace("int8", "none", StringComparison.Ordinal)).Costs ?? [];
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {v.Recipe} | {Macs(costs):N0} | {(double)Macs(costs) / Macs(baseCosts):F3} | {Parameters(costs):N0} | {v.Stored:N0} | {top1[i]:P2} | {(top1[0] - top1[i]) * 100:F2} | {latency[i].TotalMilliseconds:F4} | {latency[i] / latency[0]:F3} | {v.Seconds:F1} |"));
        }
        if (variants.All(v => v.Recipe != PerLayerRecipe)) return text.AppendLine().ToString();
        var perLayer = variants.Single(v => v.Recipe == PerLayerRecipe).Costs.ToDictionary(c => c.Layer, StringComparer.Ordinal);
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Per layer, `none` -> `{PerLayerRecipe}`:").AppendLine();
        text.AppendLine("| layer | operator | MACs | after | parameters | after |");
        text.AppendLine("|---|---|--:|--:|--:|--:|");
        foreach (var layer in baseCosts)
        {
            var after = perLayer.GetValueOrDefault(layer.Layer);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {layer.Layer} | {layer.Operator} | {layer.MultiplyAccumulates:N0} | {after?.MultiplyAccumulates:N0} | {layer.Parameters:N0} | {after?.Parameters:N0} |"));
        }
        return text.AppendLine().ToString();
    }
}
