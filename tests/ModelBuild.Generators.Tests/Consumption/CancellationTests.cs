using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using ModelBuild.Generators.Tests.Infrastructure;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>A token cancelled while ONNX Runtime is running stops the run through RunOptions.Terminate.</summary>
public sealed class CancellationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int SlowSize = 1024;
    // 400 chained 1024x1024 MatMuls are ~860 GFLOP, many seconds on any CPU here, so the 200 ms token always fires
    // mid-run; 40 finished before it on a quiet machine. With n = 2 the same model runs in a moment.
    private const int MatMulCount = 400;

    private const string AppSource = """
        using System.Threading;
        using Microsoft.ML.OnnxRuntime;
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static Slow Create() => new Slow();

                public static float[] Run(Slow model, float[] x, long n, RunOptions? options, CancellationToken token)
                    => model.Run(x, n, options, token).Y.Data;
            }
        }
        """;

    private static readonly Lazy<CompiledApp> App = new(() => CompiledApp.Build("Slow", MatMulChainModel.Build(MatMulCount, "n"), AppSource));

    [Fact]
    public void CancellingDuringTheRunStopsIt()
    {
        using var model = (IDisposable)App.Value.Call("App.Calls", "Create")!;
        var x = new float[SlowSize * SlowSize];
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => App.Value.Call("App.Calls", "Run", model, x, (long)SlowSize, null, cancellation.Token));

        output.WriteLine($"cancelled after {clock.ElapsedMilliseconds} ms (token fired at 200 ms)");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the cancelled run took {clock.Elapsed}");
    }

    /// <summary>
    /// Issue 8: the token used to set Terminate on the caller's own RunOptions and leave it set, so every later call
    /// with those options failed with ONNX Runtime's "Exiting due to terminate flag".
    /// </summary>
    [Fact]
    public void A_cancelled_run_leaves_the_callers_run_options_usable()
    {
        using var model = (IDisposable)App.Value.Call("App.Calls", "Create")!;
        using var runOptions = new RunOptions { LogId = "caller" };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.ThrowsAny<OperationCanceledException>(() =>
            App.Value.Call("App.Calls", "Run", model, new float[SlowSize * SlowSize], (long)SlowSize, runOptions, cancellation.Token));

        Assert.False(runOptions.Terminate);
        Assert.Equal("caller", runOptions.LogId);
        var y = (float[])App.Value.Call("App.Calls", "Run", model, new float[] { 1, 0, 0, 1 }, 2L, runOptions, CancellationToken.None)!;
        Assert.Equal([1f, 0, 0, 1], y);
    }

    [Fact]
    public void A_terminate_the_caller_set_is_kept()
    {
        using var model = (IDisposable)App.Value.Call("App.Calls", "Create")!;
        using var runOptions = new RunOptions { Terminate = true };

        Assert.ThrowsAny<OnnxRuntimeException>(() =>
            App.Value.Call("App.Calls", "Run", model, new float[] { 1, 0, 0, 1 }, 2L, runOptions, CancellationToken.None));

        Assert.True(runOptions.Terminate);
    }
}
