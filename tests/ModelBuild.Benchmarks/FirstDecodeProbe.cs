using System.Diagnostics;
using System.Globalization;
using ModelBuild.Runtime;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Benchmarks;

/// <summary>
/// The first decode of a container in a fresh process (this program re-invoked with <c>--probe-first-decode</c>), as an
/// app's first session start pays it: loading the decoder's assemblies and native Deflate, and compiling its methods,
/// beside the decoding itself. The container benchmark's other columns are warm (median of repeats in one process).
/// A fresh console app's thread pool has no thread yet, so its first decode is sequential; with <see cref="PoolStarted"/>
/// the child starts the pool first, as an app that has used it has, and the decode may use pool threads. With
/// <see cref="WithSession"/> it times an app's whole first start instead: the decode if any, ONNX Runtime's environment
/// and the session.
/// </summary>
public static class FirstDecodeProbe
{
    public const string Argument = "--probe-first-decode";
    public const string PoolStarted = "pool-started";
    public const string WithSession = "with-session";
    private const string ResultPrefix = "first-decode-ms=";

    /// <summary>Child side: reads the container, times its one decode, prints the milliseconds.</summary>
    public static int RunChild(string[] args)
    {
        var container = File.ReadAllBytes(args[1]);
        if (args.Length > 2 && args[2] == PoolStarted)
        {
            using var started = new ManualResetEventSlim();
            ThreadPool.UnsafeQueueUserWorkItem(static e => e.Set(), started, preferLocal: false);
            started.Wait();
        }
        var clock = Stopwatch.StartNew();
        if (args.Length > 2 && args[2] == WithSession)
        {
            // An app's first start as the generated class makes it: the decode if it is a container (with ONNX Runtime's
            // environment started meanwhile), then the environment and the session.
            var onnx = ResourceDecoder.Decode(container, args[1]);
            using var runner = Compression.Evaluation.ModelRunner.Open(onnx);
            Console.WriteLine(ResultPrefix + clock.Elapsed.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture));
            return 0;
        }
        var model = ModelContainer.Decode(container);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        GC.KeepAlive(model);
        Console.WriteLine(ResultPrefix + elapsed.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Parent side: the median of <paramref name="runs"/> fresh processes' first decode of the container at <paramref name="path"/>, with the thread pool started first or not.</summary>
    public static TimeSpan Measure(string path, bool poolStarted = false, int runs = 3) =>
        Median(poolStarted ? [Argument, path, PoolStarted] : [Argument, path], path, runs);

    /// <summary>
    /// Parent side: the median of <paramref name="runs"/> fresh processes' first start of the model or container at
    /// <paramref name="path"/> (read, decoded if a container, ONNX Runtime's environment, the session), as an app's
    /// first session start pays it.
    /// </summary>
    public static TimeSpan MeasureFirstStart(string path, int runs = 3) => Median([Argument, path, WithSession], path, runs);

    private static TimeSpan Median(string[] arguments, string path, int runs)
    {
        var times = Enumerable.Range(0, runs)
            .Select(_ => double.Parse(MemoryProbe.ResultOf(MemoryProbe.RunSelf(arguments), ResultPrefix, path), CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        return TimeSpan.FromMilliseconds(times[runs / 2]);
    }
}
