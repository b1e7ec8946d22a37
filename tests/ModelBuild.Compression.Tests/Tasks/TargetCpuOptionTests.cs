using ModelBuild.Compression.Tests.Cli;
using ModelBuild.Tasks.Resolution;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Tasks;

/// <summary>TargetCpu from the item (or $(ModelBuildTargetCpu)) through the task to the CLI's --target-cpu.</summary>
public sealed class TargetCpuOptionTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void An_unknown_target_cpu_is_MB1015()
    {
        var (task, engine) = Resolve(targetCpu: "x86-sse", defaultTargetCpu: "portable");

        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("MB1015", error.Code);
        Assert.Contains("unknown TargetCpu 'x86-sse'. Expected one of: portable, x64-vnni, x64-avx2, arm64, native.", error.Message);

        var model = folder.File("m.onnx");
        File.WriteAllBytes(model, Google.Protobuf.MessageExtensions.ToByteArray(TestModels.MatMulModel()));
        var cli = CliProcess.Run("compress", model, "--recipe", "int8-dynamic", "--target-cpu", "x86-sse", "--output", folder.File("o.onnx"), "--description", folder.File("o.modeldesc"));
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("error MB1015: unknown target CPU 'x86-sse': expected one of portable, x64-vnni, x64-avx2, arm64, native", cli.StandardError);
        Assert.False(File.Exists(folder.File("o.onnx")));
    }

    [Theory]
    [InlineData("", "portable", "portable", "")]
    [InlineData("", "X64-AVX2", "x64-avx2", "")]
    [InlineData("arm64", "x64-vnni", "arm64", "")]
    [InlineData("native", "portable", "native", " on ")]
    public void The_item_wins_over_the_property_and_native_names_the_machine(string targetCpu, string defaultTargetCpu, string expected, string machine)
    {
        var (task, engine) = Resolve(targetCpu, defaultTargetCpu);

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        var item = Assert.Single(task.ResolvedModels);
        Assert.Equal(expected, item.GetMetadata("TargetCpu"));
        // 'native' depends on the machine: its CPU goes into the settings stamp, so another kind recompresses.
        if (machine.Length > 0) Assert.StartsWith(machine, item.GetMetadata("TargetCpuMachine"));
        else Assert.Equal("", item.GetMetadata("TargetCpuMachine"));
    }

    private (ResolveOnnxModels Task, RecordingBuildEngine Engine) Resolve(string targetCpu, string defaultTargetCpu)
    {
        var (task, engine) = ResolveTaskRun.Prepare(folder, "digits.onnx", item =>
        {
            if (targetCpu.Length > 0) item.SetMetadata("TargetCpu", targetCpu);
        });
        task.DefaultTargetCpu = defaultTargetCpu;
        return (task, engine);
    }
}
