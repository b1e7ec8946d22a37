using System.Globalization;
using ModelBuild.Compression;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Targets;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;

namespace ModelBuild.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- --qat`: the fake-quantized QAT export folded by every recipe but `none` (issue 10 item 4),
/// against the export and the dense fp32 model it was trained from: stored bytes, top-1 on the 10,000 test images,
/// and latency interleaved across the three (the export's own ratio to fp32 printed beside). Printed, not written to
/// RESULTS.md, which records whole runs.
/// </summary>
public static class QatFoldingBenchmark
{
    public const string Argument = "--qat";

    private const int LatencyInputs = 200;
    private const int LatencyRounds = 15;

    public static void Run(TextWriter log)
    {
        var export = ZooModels.FamilyQatFakeQuant;
        var dense = ZooModels.FamilyBnCnn;
        var exportBytes = File.ReadAllBytes(export.ModelPath);
        var denseBytes = File.ReadAllBytes(dense.ModelPath);
        var original = OnnxModelFile.Parse(exportBytes, export.ModelPath);
        var variants = new List<(string Name, byte[] Model, byte[] Stored)> { ("fp32 fmnist-bn-cnn", denseBytes, denseBytes), ("QAT export (fake-quantized)", exportBytes, exportBytes) };
        foreach (var target in new[] { TargetCpu.Portable, TargetCpu.X64Avx2 })
        {
            foreach (var recipe in new[] { Recipe.Int8Dynamic, Recipe.Parse("huffman") })
            {
                var result = ModelCompressor.Compress(original, recipe, new CompressionSettings { Target = target });
                variants.Add(($"folded, {recipe.Name}, target {TargetCpus.Name(target)}", OnnxModelFile.ToBytes(result.Model), result.StoredBytes()));
            }
        }

        var top1 = variants.Select(v =>
        {
            using var runner = ModelRunner.Open(v.Model);
            return ClassificationEvaluator.Evaluate(runner, export.LabeledSet);
        }).ToList();
        var inputs = export.LabeledSet.Take(LatencyInputs).Select(sample => sample.Input).ToList();
        var runners = variants.Select(v => ModelRunner.Open(v.Model)).ToList();
        IReadOnlyList<TimeSpan> latencies;
        try
        {
            latencies = LatencyMeter.MedianPerInput(runners, inputs, warmupRounds: 2, LatencyRounds);
        }
        finally
        {
            runners.ForEach(runner => runner.Dispose());
        }

        var cpu = string.Join(" ", InstructionSetFlags());
        log.WriteLine($"QAT folding, Fashion-MNIST ({export.LabeledSet.Count:N0} test images; latency: median per input over {LatencyInputs} inputs x {LatencyRounds} rounds, interleaved, batch 1; CPU flags: {cpu})");
        log.WriteLine("| model | stored bytes | export / stored | top-1 | top-1 vs export (points) | latency ms | latency / fp32 |");
        log.WriteLine("|---|---|---|---|---|---|---|");
        for (var i = 0; i < variants.Count; i++)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variants[i].Name} | {variants[i].Stored.Length:N0} | {(double)exportBytes.Length / variants[i].Stored.Length:F2}x | {top1[i].Top1:P2} | {(top1[i].Top1 - top1[1].Top1) * 100:+0.00;-0.00;0.00} | {latencies[i].TotalMilliseconds:F4} | {latencies[i] / latencies[0]:F3}x |"));
        }
    }

    /// <summary>The instruction sets the figures depend on, as /proc/cpuinfo lists them (empty elsewhere).</summary>
    internal static IEnumerable<string> InstructionSetFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return [];
        var flags = File.ReadLines(cpuinfo).FirstOrDefault(line => line.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        return flags.Where(f => f is "avx2" or "avx512_vnni" or "avx_vnni" or "amx_int8").Distinct().Order(StringComparer.Ordinal);
    }
}
