using ModelBuild.Benchmarks.Float16Kernels;
using ModelBuild.Compression;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;
using System.Diagnostics;

namespace ModelBuild.Benchmarks;

/// <summary>Compresses one zoo model with every recipe (and the pure float16 form) and measures the variants side by side.</summary>
public static class SubjectBenchmark
{
    public const string Float16KernelsRow = "fp16 (float16 kernels)";
    private const int LatencyWarmupRounds = 1;
    private const int LatencyRounds = 5;
    private const int SessionStartRepeats = 5;

    public static IReadOnlyList<VariantResult> Run(BenchmarkSubject subject, string scratchFolder, TextWriter log)
    {
        var original = File.ReadAllBytes(subject.ModelPath);
        log.WriteLine($"{subject.Name}: compressing");
        var all = Variants(subject, original);
        // The first variant is `none`: the fp32 reference every ratio is taken against.
        var variants = all.Where(variant => variant.Bytes is not null).ToList();
        // Stored bytes (a ModelBuild container for +huffman rows) give the size columns; ONNX Runtime runs the decoded model.
        var bytes = variants.Select(variant => variant.Bytes!).ToList();
        var decoded = bytes.Select(ModelContainer.DecodeIfContainer).ToList();

        log.WriteLine($"{subject.Name}: accuracy on {subject.LabeledSetDescription}");
        var accuracy = decoded.Select(model =>
        {
            using var runner = ModelRunner.Open(model);
            return subject.MeasureAccuracy(runner);
        }).ToList();

        log.WriteLine($"{subject.Name}: latency, interleaved");
        var inputs = subject.LatencyInputs();
        var runners = decoded.Select(ModelRunner.Open).ToList();
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
        var sessionStarts = MedianSessionStarts(bytes);
        var peaks = variants.Select((variant, i) =>
        {
            var path = Path.Combine(scratchFolder, $"{Path.GetFileNameWithoutExtension(subject.ModelPath)}.{i}.onnx");
            File.WriteAllBytes(path, bytes[i]);
            return MemoryProbe.Measure(path, inputs[0].Shape);
        }).ToList();

        return all.Select(variant =>
        {
            var i = variants.IndexOf(variant);
            var measurement = i < 0 ? null : new VariantMeasurement(
                bytes[i].Length,
                (double)bytes[i].Length / original.Length,
                accuracy[i],
                accuracy[i].AgreementWith(accuracy[0]),
                latencies[i],
                latencies[i] / latencies[0],
                sessionStarts[i],
                peaks[i]);
            return new VariantResult(subject.Name, variant.Name, variant.Notes, measurement);
        }).ToList();
    }

    private static List<BenchmarkVariant> Variants(BenchmarkSubject subject, byte[] original)
    {
        var model = OnnxModelFile.Parse(original, subject.ModelPath);
        var float16 = Compress(model, Recipe.Float16, CompressionSettings.Default);
        var variants = new List<BenchmarkVariant> { Compress(model, Recipe.None, CompressionSettings.Default), float16 };
        var pureFloat16 = PureFloat16Builder.Build(model);
        // An already quantized model's float tensors are quantization scales and its float activations feed QuantizeLinear.
        var alreadyQuantized = float16.Notes.Contains(DiagnosticCodes.AlreadyQuantized, StringComparison.Ordinal)
            ? $"the model is already quantized ({DiagnosticCodes.AlreadyQuantized}); "
            : "";
        variants.Add(new BenchmarkVariant(Float16KernelsRow, pureFloat16.Model, alreadyQuantized + pureFloat16.Note));
        variants.Add(Compress(model, Recipe.Int8Dynamic, CompressionSettings.Default));
        var int8Settings = new CompressionSettings { CalibrationInputs = subject.CalibrationInputs(), Int8 = subject.Int8Options };
        variants.Add(Compress(model, Recipe.Int8, int8Settings));
        // The other int8 schemes side by side with the default (portable, u8s7): what each target would ship.
        if (alreadyQuantized.Length == 0)
        {
            foreach (var scheme in new[] { Int8Scheme.U8S8, Int8Scheme.U8S7, Int8Scheme.U8U8 })
                variants.Add(Compress(model, Recipe.Int8, int8Settings with { Scheme = scheme }) with { Name = $"int8 ({TargetCpus.SchemeName(scheme)})" });
        }
        // Entropy coding on top of int8; an already quantized model is packed losslessly as it is.
        variants.Add(alreadyQuantized.Length > 0 ? Compress(model, Recipe.Huffman, CompressionSettings.Default) : Compress(model, Recipe.Parse("int8+huffman"), int8Settings));
        if (subject.WithInt8Full)
            variants.Add(Compress(model, Recipe.Int8Full, int8Settings));
        return variants;
    }

    private static BenchmarkVariant Compress(Onnx.Protobuf.ModelProto model, Recipe recipe, CompressionSettings settings)
    {
        var result = ModelCompressor.Compress(model, recipe, settings);
        var scheme = result.Scheme is { } used ? $"scheme {TargetCpus.SchemeName(used)}" : null;
        return new BenchmarkVariant(recipe.Name, result.StoredBytes(), string.Join(", ", result.Warnings.Select(warning => warning.Code).Append(scheme).OfType<string>()));
    }

    // Interleaved like the latencies, so a slow moment of the machine does not land on one variant only. A container's
    // time includes decoding it, as the generated class does before it creates the session.
    private static IReadOnlyList<TimeSpan> MedianSessionStarts(IReadOnlyList<byte[]> models)
    {
        var times = models.Select(_ => new List<TimeSpan>()).ToList();
        for (var repeat = 0; repeat < SessionStartRepeats; repeat++)
        {
            for (var i = 0; i < models.Count; i++)
            {
                var decoding = Stopwatch.StartNew();
                var model = ModelContainer.DecodeIfContainer(models[i]);
                var decodeTime = decoding.Elapsed;
                using var runner = ModelRunner.Open(model);
                times[i].Add(decodeTime + runner.SessionStartTime);
            }
        }
        return times.Select(list => list.Order().ElementAt(list.Count / 2)).ToList();
    }
}
