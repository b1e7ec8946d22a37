using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace ModelBuild.Benchmarks;

/// <summary>Writes RESULTS.md: the command, the machine, how each number was measured, then one row per variant.</summary>
public static class ResultsWriter
{
    public const string Command = "dotnet run -c Release --project tests/ModelBuild.Benchmarks";

    /// <summary>The tables other modes of this program write, each with the command that makes it.</summary>
    public const string FocusedTables =
        "Focused tables, each written by its own mode of this program: [FAMILY.md](FAMILY.md) (`-- --family`: the fashion-mnist-family models, students beside their teacher), " +
        "[CONTAINER.md](CONTAINER.md) (`-- --container`: the container against entropy and `xz -9e`, decoding against session start), " +
        "[OBS.md](OBS.md) (`-- --obs`: `prune`, `int4`, `int3`), [COMPRESSION.md](COMPRESSION.md) (`-- --compression`: every step combination against issue 11's size goals) and " +
        "[STRUCTURED.md](STRUCTURED.md) (`-- --structured`: `prune-channels`, multiply-accumulates and latency).";

    public static string Render(IReadOnlyList<VariantResult> results, DateTime startedUtc, TimeSpan duration, long runtimeOnlyPeakBytes, string loadAtStart)
    {
        var text = new StringBuilder();
        var line = (string value) => text.Append(value).Append('\n');
        line("# ModelBuild benchmarks");
        line("");
        line(Invariant($"Produced by `{Command}`, started {startedUtc:yyyy-MM-dd HH:mm} UTC, took {duration.TotalMinutes:F1} minutes."));
        line("");
        line(FocusedTables);
        line("");
        line(Invariant($"Machine: {Runtime.Cpu.InstructionSet.Current.Describe()} ({(Runtime.Cpu.InstructionSet.Current.U8S8Saturates ? "ONNX Runtime's u8 x s8 kernels saturate here" : "ONNX Runtime's u8 x s8 kernels are exact here")}), {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, {RuntimeInformation.FrameworkDescription}, ONNX Runtime {OrtEnv.Instance().GetVersionString()} (CPU execution provider, 1 intra-op thread, batch 1)."));
        line("");
        line(Invariant($"Load average (1, 5, 15 min) at the start: {loadAtStart}; at the end: {LoadAverage.Read()}. Other work on the machine slows every variant; the interleaving keeps the latency ratios fair, not the absolute times."));
        line("");
        line("How the columns are measured:");
        line("- **stored**: bytes of the model as ModelBuild would embed it; **ratio** to the original file.");
        line(Invariant($"- **accuracy**: with the zoo README's preprocessing, on the labeled set without the inputs that calibrate `int8` (every {ZooSubjects.CalibrationStride}th labeled input calibrates, so calibration and scoring are disjoint; the count scored is in brackets; the zoo has no training images for these models, and the Debian package with Fashion-MNIST's 60,000 training images was not installed); the OCR recognizer's 10 crops both calibrate and score; **agreement**: the fraction of inputs on which the variant predicts what `none` (fp32) predicts (for the OCR recognizer: the same decoded text)."));
        line("- **latency**: median time of one run (batch 1) over 5 rounds on up to 100 inputs spread over the scored set, after one warm-up round; the variants of a model are interleaved input by input; **ratio** to `none` measured in the same loop.");
        line("- **session start**: median of 5 `InferenceSession` creations from the bytes (the ONNX Runtime environment already exists), interleaved across the variants; for a `+huffman` row, decoding the ModelBuild container first is included, as the generated class does it (peak memory too).");
        line(Invariant($"- **peak memory**: peak working set of a fresh child process (this program with `{MemoryProbe.Argument}`) that creates the session and runs one input; a child that only starts .NET and the ONNX Runtime environment peaks at {Megabytes(runtimeOnlyPeakBytes)}."));
        line("");
        line("| model | recipe | stored bytes | ratio | accuracy | agreement | latency / input | ratio | session start | peak memory | warnings / notes |");
        line("|---|---|--:|--:|---|--:|--:|--:|--:|--:|---|");
        foreach (var result in results)
        {
            var notes = result.Notes.Length == 0 ? "-" : result.Notes;
            line(result.Measurement is { } m
                ? Invariant($"| {result.Model} | {result.Recipe} | {m.StoredBytes:N0} | {m.SizeRatio:F3} | {m.Accuracy.Summary} | {m.AgreementWithFp32 * 100:F2}% | {m.LatencyPerInput.TotalMilliseconds:F3} ms | {m.LatencyRatio:F2} | {m.SessionStart.TotalMilliseconds:F1} ms | {Megabytes(m.PeakWorkingSetBytes)} | {notes} |")
                : $"| {result.Model} | {result.Recipe} | - | - | - | - | - | - | - | - | {notes} |");
        }
        line("");
        line($"fp16 forms: the `fp16` recipe stores float16 weights and widens them in the graph with `Cast` nodes that ONNX Runtime folds at session start, so it runs float32 kernels on float32 weights. The `{SubjectBenchmark.Float16KernelsRow}` row is a pure float16 graph made by this program only (`Float16Kernels/PureFloat16Converter.cs`: float16 weights and activations, Cast nodes at the float32 inputs and outputs, Cast targets and value_info switched to float16). Its notes say what ONNX Runtime made of it, read from the graph the session builds (`OptimizedModelFilePath`, extended optimizations): nodes with a float16 input run float16 kernels; the others run float32 behind the Casts that ONNX Runtime inserts around operators its CPU provider has no float16 kernel for (after which it drops the redundant Cast pairs and folds the Casts of weights). Compare its latency, session start and peak memory with `fp16` to see what the recipe's choice of widening in the graph rests on.");
        line("");
        line("int8: the static QDQ recipe with its defaults (MinMax calibration, per-channel weights in the `portable` target's `per-layer` scheme, uint8 activations); the OCR recognizer is calibrated as the sample app does it (Add, Mul and the first ten Conv in float, percentile ranges). A model that is already quantized is passed through with MB2001, its full-range int8 weights re-expressed as uint8 for `portable` (the same integers).");
        line("");
        line("int8 schemes (docs/internals.md, \"Target CPU\"): `int8 (u8s8)` stores full-range int8 weights (target `x64-vnni`/`arm64`; exact only with VNNI, AMX or on ARM64), `int8 (u8s7)` 7-bit weights (target `x64-avx2`), `int8 (u8u8)` uint8 weights, and `int8` itself the `portable` per-layer mix; the `scheme` note names each row's. All but u8s8 are exact on every CPU, so their accuracy holds everywhere. On a machine whose u8 x s8 kernels saturate, every row is measured with ONNX Runtime's exact int8 mode (`session.x64quantprecision`), as the build measures and the generated class runs a u8s8 model: the u8s8 rows then show u8 x u8 speed there.");
        line("");
        line("`+huffman` rows: the stored bytes are the ModelBuild container's (entropy-coded weights, the rest Deflate); it decodes bit for bit to the base recipe's model, so accuracy and latency repeat that row. `int8+huffman` for the models that are not quantized already, `huffman` (the original packed losslessly) for the one that is.");
        line("");
        line("int8-full (the classifiers that are not quantized already): `int8` calibrated on the same inputs, with the uint8 input and output on their calibrated grids. It is fed as an app would: each float input is quantized once (ONNX QuantizeLinear's rule) before the timed runs, and the uint8 scores are dequantized inside them.");
        return text.ToString();
    }

    private static string Megabytes(long bytes) => Invariant($"{bytes / (1024.0 * 1024.0):F1} MiB");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
