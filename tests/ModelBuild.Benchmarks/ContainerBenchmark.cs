using System.Diagnostics;
using System.Globalization;
using ModelBuild.Compression;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Packing;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;

namespace ModelBuild.Benchmarks;

/// <summary>
/// The container against its goals (issue 10): coded weight bytes against the order-0 entropy of the symbols the
/// chosen streams carry, the stored container against <c>xz -9e</c> of the same decoded ONNX file, session start
/// with decoding against without (interleaved), decode throughput on one core (the decoder forced sequential) and on
/// the threads <see cref="ModelContainer.Decode(ReadOnlySpan{byte})"/> uses, and the first decode in a fresh process.
/// Beside each goal a measured bound says whether any coder of the chains could meet it (<see cref="Notes"/>).
/// Run with <c>dotnet run -c Release -- --container [name,name]</c>; it prints the table, and a run of every model
/// writes it to CONTAINER.md.
/// </summary>
public static class ContainerBenchmark
{
    private const int MinRepeats = 7;
    private const int MaxRepeats = 51;
    private const string Xz = "/usr/bin/xz";

    /// <summary>Family models the benchmark's subjects do not wire to data: <c>huffman</c> only.</summary>
    private static readonly string[] UnwiredFamilyModels = ["fmnist-bn-cnn-qat-fakequant", "fmnist-student"];

    public static IReadOnlyList<string> Names() =>
        [.. ZooSubjects.All().Select(subject => subject.Name), .. UnwiredFamilyModels];

    public static IReadOnlyList<ContainerMeasurement> Run(IReadOnlyCollection<string>? only, string scratchFolder, TextWriter log)
    {
        var results = new List<ContainerMeasurement>();
        foreach (var subject in ZooSubjects.All().Where(s => only is null || only.Contains(s.Name)))
        {
            var model = OnnxModelFile.Load(subject.ModelPath);
            results.Add(Measure(subject.Name, "huffman", ModelCompressor.Compress(model, Recipe.Huffman, CompressionSettings.Default), scratchFolder, log));
            var int8 = ModelCompressor.Compress(model, Recipe.Parse("int8+huffman"), new CompressionSettings { CalibrationInputs = subject.CalibrationInputs(), Int8 = subject.Int8Options });
            // An already quantized model passes int8 through: its int8+huffman row would repeat the huffman one.
            if (!int8.Warnings.Any(w => w.Code == DiagnosticCodes.AlreadyQuantized))
                results.Add(Measure(subject.Name, "int8+huffman", int8, scratchFolder, log));
        }
        foreach (var name in UnwiredFamilyModels.Where(n => only is null || only.Contains(n)))
        {
            var model = OnnxModelFile.Load(Zoo.PathOf("fashion-mnist-family", name + ".onnx"));
            results.Add(Measure(name, "huffman", ModelCompressor.Compress(model, Recipe.Huffman, CompressionSettings.Default), scratchFolder, log));
        }
        return results;
    }

    private static ContainerMeasurement Measure(string name, string recipe, CompressionResult result, string scratchFolder, TextWriter log)
    {
        log.WriteLine($"{name} {recipe}: measuring");
        var container = result.Container ?? throw new InvalidOperationException($"{name} {recipe} wrote no container");
        var decoded = ModelContainer.Decode(container);
        // The writer is deterministic: writing the decoded model again gives the same container, and its statistics.
        var again = ModelContainerWriter.Write(decoded, out var weights);
        if (!again.AsSpan().SequenceEqual(container))
            throw new InvalidOperationException($"{name} {recipe}: the container written again differs");

        var path = Path.Combine(scratchFolder, $"{name}.{recipe}.onnx");
        File.WriteAllBytes(path, decoded);
        var xzBytes = XzLength(path);

        TimeSpan warm;
        using (var first = ModelRunner.Open(decoded)) warm = first.SessionStartTime;
        var repeats = Repeats(warm);
        var plain = new List<TimeSpan>();
        var withDecode = new List<TimeSpan>();
        var sessionOnly = new List<TimeSpan>();
        var decodeAndSession = new List<TimeSpan>();
        var decodes = new List<TimeSpan>();
        var sequentialDecodes = new List<TimeSpan>();
        var withSequentialDecode = new List<TimeSpan>();
        var run = new DecodeRun();
        var threadsDecoding = 0;
        var hashes = new List<TimeSpan>();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            // As the generated class (EmbeddedResource) starts either: the resource read into a new array, then for
            // a container the decode, then the session. Plain first in even repeats, the container first in odd ones,
            // so neither always runs on what the other left in the caches.
            TimeSpan containerRead = default, decodeTime = default, containerSession = default;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn + repeat) % 2 == 0)
                {
                    var clock = Stopwatch.StartNew();
                    var plainResource = ReadResource(decoded);
                    var plainRead = clock.Elapsed;
                    using var runner = ModelRunner.Open(plainResource);
                    plain.Add(plainRead + runner.SessionStartTime);
                    sessionOnly.Add(runner.SessionStartTime);
                }
                else
                {
                    var clock = Stopwatch.StartNew();
                    var resource = ReadResource(container);
                    containerRead = clock.Elapsed;
                    clock.Restart();
                    // As ModelContainer.Decode(resource), which the generated class calls, saying how many threads decoded.
                    var model = ModelContainer.Decode(resource, ModelContainer.DefaultThreads, run);
                    decodeTime = clock.Elapsed;
                    threadsDecoding = Math.Max(threadsDecoding, run.Threads);
                    decodes.Add(decodeTime);
                    using var runner = ModelRunner.Open(model);
                    containerSession = runner.SessionStartTime;
                    withDecode.Add(containerRead + decodeTime + containerSession);
                    decodeAndSession.Add(decodeTime + containerSession);
                }
            }
            // The sequential decode after both, so that its work is in neither start.
            var sequentialClock = Stopwatch.StartNew();
            ModelContainer.Decode(container, 1, null);
            var sequentialTime = sequentialClock.Elapsed;
            sequentialDecodes.Add(sequentialTime);
            withSequentialDecode.Add(containerRead + sequentialTime + containerSession);
            sequentialClock.Restart();
            ModelContainerFormat.Checksum(decoded, ModelContainerFormat.Version);
            hashes.Add(sequentialClock.Elapsed);
        }
        var containerPath = Path.Combine(scratchFolder, $"{name}.{recipe}.mbc");
        File.WriteAllBytes(containerPath, container);
        var firstDecode = FirstDecodeProbe.Measure(containerPath);
        var firstDecodePoolStarted = FirstDecodeProbe.Measure(containerPath, poolStarted: true);
        var firstStart = FirstDecodeProbe.MeasureFirstStart(path);
        var firstStartWithDecode = FirstDecodeProbe.MeasureFirstStart(containerPath);
        return new ContainerMeasurement(name, recipe, decoded.Length, container.Length, weights, xzBytes, ContextBound.SavingsBytes(decoded), Median(plain), Median(withDecode), Median(withSequentialDecode),
            Median(sessionOnly), Median(decodeAndSession), Median(decodes), Median(sequentialDecodes), run.ScheduledThreads, threadsDecoding, Median(hashes), firstDecode, firstDecodePoolStarted, firstStart, firstStartWithDecode);
    }

    // What EmbeddedResource does with the embedded stream: a new array of its length, filled (for the large models,
    // fresh pages: the first write to them is part of any model's start, plain or decoded).
    private static byte[] ReadResource(byte[] embedded)
    {
        var bytes = new byte[embedded.Length];
        embedded.CopyTo(bytes, 0);
        return bytes;
    }

    // Enough repeats for about a second of session starts: a model that starts in 1 ms is timed 51 times, so that its
    // median is not one scheduler time slice on a loaded machine; odd, so the median is one of them.
    private static int Repeats(TimeSpan sessionStart) =>
        Math.Clamp((int)(1000 / Math.Max(sessionStart.TotalMilliseconds, 1)), MinRepeats, MaxRepeats) | 1;

    private static long XzLength(string path)
    {
        var start = new ProcessStartInfo(Xz) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-9e", "-c", "-T1", path }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Xz} did not start");
        var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Xz} -9e {path} exited with {process.ExitCode}");
        return output.Length;
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    /// <summary>What the bound columns mean; printed under the table.</summary>
    public const string Notes = """
        - Goals (issue 10): coded / entropy <= 1.02; container / xz <= 0.8; with decode / session start <= 1.2.
        - floor / xz: the container if every stream cost exactly its order-0 entropy (the entropy column plus the
          container's other bytes: graph part, tensor table, modes and tables), over xz. Above 0.8, no order-0 coder of
          the chosen chains (the smallest of bytes, byte planes, non-zeros with positions, palette indices) meets the xz
          goal: xz's LZ77 and context modeling use repeats and correlations between bytes that order-0 coding cannot.
        - context floor / xz: the floor less what an adaptive context coder would save on the weights (ContextBound: per
          byte plane, a bit tree learned per context of the same element's higher byte, the previous element's byte, or
          both, in bits actually spent). Above 0.8, coding with these contexts does not meet the xz goal either.
        - coded weights: every coded tensor's payload (kind, modes, tables, coded bytes); a tensor under 256 bytes whose
          payload would save less than an eighth of it stays in the graph part (version 6) and is in neither column. coded / entropy: the difference is the streams' tables
          (from version 6 a smooth table of a few bytes for most rANS streams, else a 32-byte symbol bitmap and lengths
          or frequencies), rANS states, lengths and rounding, and that a table can only follow a stream's histogram so
          far: the order-0 entropy of a few thousand symbols is below what any coder of their distribution can spend.
          It weighs most where the weights are few.
        - session start: as the generated class starts a plain model (EmbeddedResource): the resource read into a new
          array, then the session created; with decode: the container read into a new array, decoded, the session
          created; in each repeat one after the other, plain first in every other repeat; ratio: with decode over
          session start; ratio, 1 thread: the same with the decode forced sequential (as the decoder was before it
          used threads), timed in the same repeats after both starts (with the container in cache), with the same
          session time as the with decode column.
          ratio, session only: decode plus session creation over session creation alone, as earlier runs of this table
          measured it (they left out the resource read, which
          for a plain model includes the first write to the model's fresh pages, the decoder's first write for a
          container). Warm, medians of 7 to 51 interleaved repeats in one process (about a second of session starts).
        - XxHash3 / session start: hashing the decoded model (the checksum the decoder must verify; from version 4, SHA-256
          before) over the session start.
        - decode MB/s (1 core): decoded bytes over the decode alone forced sequential, warm. decode threads: the threads
          the decode of the with decode column was given (up to the cores, at most 4; one below 128 KB), after the slash
          the most that took part in one decode (a pool thread that starts after every tensor is taken does nothing);
          decode MB/s (threads): decoded bytes over that decode alone. first decode: the decode alone in a fresh process
          (median of 3), as an app's first session start pays it: loading the decoder and native Deflate, compiling it;
          sequential, since a fresh process's thread pool has no thread yet (starting it would cost more than the
          threads save). first decode, pool started: the same after the child has started the pool, as an app that
          has used it has; the decode may then use pool threads (from 128 KB).
        - first start: an app's first session start in a fresh process (median of 3), the decoded ONNX model read from a
          file, then ONNX Runtime's environment and the session; first start, container: the same with the container
          decoded first (the first decode compiles the decoder: most of the first decode column); ratio, first start:
          their ratio, what an app that starts one session per process pays for packing.
        """;

    public static string Render(IReadOnlyList<ContainerMeasurement> results)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("| model | recipe | decoded ONNX | container | coded weights | order-0 entropy | coded / entropy | xz -9e | container / xz | floor / xz | context floor / xz | session start | with decode | ratio | ratio, 1 thread | ratio, session only | XxHash3 / session start | decode MB/s (1 core) | decode threads | decode MB/s (threads) | first decode | first decode, pool started | first start | first start, container | ratio, first start |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            var floor = r.Weights.EntropyBytes + (r.ContainerBytes - r.Weights.CodedBytes);
            text.AppendLine(Invariant($"| {r.Model} | {r.Recipe} | {r.DecodedBytes:N0} | {r.ContainerBytes:N0} | {r.Weights.CodedBytes:N0} | {r.Weights.EntropyBytes:N0} | {r.Weights.CodedBytes / Math.Max(1, r.Weights.EntropyBytes):F3} | {r.XzBytes:N0} | {(double)r.ContainerBytes / r.XzBytes:F3} | {floor / r.XzBytes:F3} | {(floor - r.ContextSavingBytes) / r.XzBytes:F3} | {r.SessionStart.TotalMilliseconds:F1} ms | {r.SessionStartWithDecode.TotalMilliseconds:F1} ms | {r.SessionStartWithDecode / r.SessionStart:F2} | {r.SessionStartWithSequentialDecode / r.SessionStart:F2} | {r.DecodeAndSessionOnly / r.SessionOnly:F2} | {r.Checksum / r.SessionStart:F2} | {r.DecodedBytes / 1e6 / r.SequentialDecode.TotalSeconds:F0} | {r.DecodeThreads} / {r.ThreadsDecoding} | {r.DecodedBytes / 1e6 / r.Decode.TotalSeconds:F0} | {r.FirstDecode.TotalMilliseconds:F1} ms | {r.FirstDecodePoolStarted.TotalMilliseconds:F1} ms | {r.FirstStart.TotalMilliseconds:F1} ms | {r.FirstStartWithDecode.TotalMilliseconds:F1} ms | {r.FirstStartWithDecode / r.FirstStart:F2} |"));
        }
        text.AppendLine();
        text.Append(Notes);
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
