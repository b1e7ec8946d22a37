using System.Diagnostics;
using ModelBuild.Generators.Tests.Infrastructure;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Generators.Tests.Consumption;

/// <summary>A token cancelled while ONNX Runtime is running stops the run through RunOptions.Terminate.</summary>
public sealed class CancellationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Size = 1024;
    // 400 chained 1024x1024 MatMuls are ~860 GFLOP, many seconds on any CPU here, so the 200 ms token always fires
    // mid-run; 40 finished before it on a quiet machine.
    private const int MatMulCount = 400;

    private const string AppSource = """
        using System.Threading;
        using Sample.Models;

        namespace App
        {
            internal static class Calls
            {
                public static Slow Create() => new Slow();

                public static void Run(Slow model, float[] x, CancellationToken token) => model.Run(x, cancellationToken: token);
            }
        }
        """;

    [Fact]
    public void CancellingDuringTheRunStopsIt()
    {
        var app = CompiledApp.Build("Slow", SlowModel(), AppSource);
        using var model = (IDisposable)app.Call("App.Calls", "Create")!;
        var x = new float[Size * Size];
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => app.Call("App.Calls", "Run", model, x, cancellation.Token));

        output.WriteLine($"cancelled after {clock.ElapsedMilliseconds} ms (token fired at 200 ms)");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the cancelled run took {clock.Elapsed}");
    }

    /// <summary>A chain of 1024x1024 MatMuls: many seconds of work, so the token fires mid-run.</summary>
    private static ModelProto SlowModel()
    {
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, Size, Size)
            .Output($"y{MatMulCount}", DataType.Float, Size, Size);
        for (var i = 1; i <= MatMulCount; i++)
            builder.Node("MatMul", [i == 1 ? "x" : $"y{i - 1}", "x"], [$"y{i}"]);
        return builder.Build();
    }
}
