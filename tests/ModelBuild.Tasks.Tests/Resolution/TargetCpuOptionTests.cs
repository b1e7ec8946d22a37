using ModelBuild.Tasks.Tests.Support;
using ModelBuild.Tasks.Resolution;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Resolution;

/// <summary>TargetCpu through the task (the option table's checks of a choice).</summary>
public sealed class TargetCpuOptionTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>The CLI gives the same answer (CompressCliTests.An_unknown_target_cpu_is_MB1015_exit_2).</summary>
    [Fact]
    public void An_unknown_target_cpu_is_MB1015()
    {
        var task = Resolve(targetCpu: "x86-sse", out var engine);

        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("MB1015", error.Code);
        Assert.Contains("unknown TargetCpu 'x86-sse'. Expected one of: portable, x64-vnni, x64-avx2, arm64, native.", error.Message);
    }

    /// <summary>
    /// The value as the item has it (its own, or $(ModelBuildTargetCpu) from the ItemDefinitionGroup: the
    /// end-to-end tests build with both) is lower-cased, and 'native' names the machine.
    /// </summary>
    [Theory]
    [InlineData("portable", "portable", false)]
    [InlineData("X64-AVX2", "x64-avx2", false)]
    [InlineData("arm64", "arm64", false)]
    [InlineData("native", "native", true)]
    public void The_target_is_lower_cased_and_native_names_the_machine(string targetCpu, string expected, bool machine)
    {
        var task = Resolve(targetCpu, out var engine);

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        var item = Assert.Single(task.ResolvedModels);
        Assert.Equal(expected, item.GetMetadata("TargetCpu"));
        // 'native' depends on the machine: its CPU goes into the settings stamp, so another kind recompresses.
        if (machine) Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), item.GetMetadata("TargetMachine"));
        else Assert.Equal("", item.GetMetadata("TargetMachine"));
    }

    private ModelBuild.Tasks.Resolution.ResolveOnnxModels Resolve(string targetCpu, out RecordingBuildEngine engine)
    {
        var (task, recording) = ResolveTaskRun.Prepare(folder, "digits.onnx", item => item.SetMetadata("TargetCpu", targetCpu));
        engine = recording;
        return task;
    }
}
