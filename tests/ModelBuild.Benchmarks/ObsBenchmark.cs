using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;

namespace ModelBuild.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- --obs [recipe;recipe]`: the second-order steps of issue 11 (prune, int4, int3) on the zoo's
/// CNNs: stored bytes of each recipe with <c>+huffman</c>, ratio to the fp32 file, top-1 and its drop, and the
/// compression time. Every 20th labeled input calibrates (<see cref="ZooSubjects.Calibrates"/>), the others score.
/// Writes OBS.md beside RESULTS.md; the official size-accuracy curve is the main benchmark's.
/// </summary>
public static class ObsBenchmark
{
    public const string Argument = "--obs";

    public static readonly string[] DefaultRecipes =
    [
        "int8", "prune:0.5+int8", "prune:0.75+int8", "prune:0.75:global:none+int8", "int4", "int4:rtn", "prune:0.5+int4", "prune:0.75+int4", "int3",
    ];

    public static string Run(IReadOnlyList<string> recipes, TextWriter log)
    {
        var started = DateTime.UtcNow;
        var load = LoadAverage.Read();
        var lines = new List<string>
        {
            "# Second-order post-training compression (issue 11: prune, int4, int3)",
            "",
            FormattableString.Invariant(
                $"`cd tests/ModelBuild.Benchmarks && dotnet run -c Release -- --obs`, {started:yyyy-MM-dd HH:mm} UTC; instruction set: {string.Join(" ", Flags())}; ONNX Runtime {OrtEnv.Instance().GetVersionString()}; load average at start {load}. ") +
                "Every 20th labeled input calibrates, the others score; stored bytes are the `+huffman` container (target portable); time is the compression on this machine's 2 shared cores.",
            "",
            "| model | recipe | stored bytes | fp32 / stored | top-1 | drop (points) | compress s |",
            "|---|---|---|---|---|---|---|",
        };
        foreach (var model in new[] { ZooModels.FashionMnist, ZooModels.Cifar10ResNet20, ZooModels.Mnist })
        {
            var bytes = File.ReadAllBytes(model.ModelPath);
            var proto = OnnxModelFile.Parse(bytes, model.ModelPath);
            var labeled = model.LabeledSet;
            var evaluation = labeled.Where((_, i) => !ZooSubjects.Calibrates(i)).ToList();
            var settings = new CompressionSettings { CalibrationInputs = labeled.Where((_, i) => ZooSubjects.Calibrates(i)).Select(s => s.Input).ToList() };
            double baseline;
            using (var runner = ModelRunner.Open(bytes))
                baseline = ClassificationEvaluator.Evaluate(runner, evaluation).Top1;
            lines.Add(Row(model.Name, "fp32", bytes.Length, bytes.Length, baseline, baseline, 0));
            log.WriteLine(lines[^1]);
            foreach (var recipe in recipes)
            {
                var stopwatch = Stopwatch.StartNew();
                var result = ModelCompressor.Compress(proto, Recipe.Parse(recipe + "+huffman"), settings, new Progress(log));
                var seconds = stopwatch.Elapsed.TotalSeconds;
                using var runner = ModelRunner.Open(OnnxModelFile.ToBytes(result.Model));
                var top1 = ClassificationEvaluator.Evaluate(runner, evaluation).Top1;
                lines.Add(Row(model.Name, recipe + "+huffman", bytes.Length, result.StoredBytes().Length, top1, baseline, seconds));
                log.WriteLine(lines[^1]);
            }
        }
        var path = Path.Combine(ModelBuild.TestSupport.Zoo.RepoRoot, "tests", "ModelBuild.Benchmarks", "OBS.md");
        OnnxModelFile.WriteAllBytesAtomic(path, System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        return path;
    }

    private static string Row(string model, string recipe, long original, long stored, double top1, double baseline, double seconds) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {model} | {recipe} | {stored:N0} | {(double)original / stored:F2}x | {top1:P2} | {(baseline - top1) * 100:F2} | {seconds:F1} |");

    private static IEnumerable<string> Flags() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadAllText("/proc/cpuinfo").Split([' ', '\t', '\n']).Where(f => f is "avx2" or "avx512_vnni" or "avx_vnni" or "amx_int8").Distinct().Order()
            : [];

    /// <summary>Progress lines straight to the log (not via the synchronization context).</summary>
    private sealed class Progress(TextWriter log) : IProgress<string>
    {
        public void Report(string value) => log.WriteLine("  " + value);
    }
}
