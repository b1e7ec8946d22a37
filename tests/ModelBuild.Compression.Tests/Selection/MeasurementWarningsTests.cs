using System.Runtime.InteropServices;
using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Targets;
using ModelBuild.Runtime.Cpu;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Selection;

/// <summary>MB2004-MB2006: what a measured build says without being asked, on measurements made up for each case.</summary>
public sealed class MeasurementWarningsTests
{
    private static readonly InstructionSet Avx2Only = new(Architecture.X64, Avx2: true, Avx512: false, Avx512Vnni: false, AvxVnni: false, AmxInt8: false, ArmDotProduct: false);
    private static readonly InstructionSet Vnni = Avx2Only with { Avx512 = true, Avx512Vnni = true };

    private static readonly ModelMeasurement Original = new("original", 0.90, AccuracyMetric.Top1, null, LatencyMilliseconds: 1.0, StoredBytes: 1000, MemoryBytes: 1000, EvaluatedInputs: 100);

    private static SelectionResult Result(ModelMeasurement chosen, Int8Scheme? scheme = Int8Scheme.PerLayer)
    {
        var outcome = new CandidateOutcome(Candidate.Of(Recipe.Int8), TestModels.ConvClassifier(), [], chosen, -1, []) { Scheme = scheme };
        return new SelectionResult("m.onnx", Original, [outcome], outcome,
            [new LayerNoise("conv_3", "Conv", "c3", 12.5), new LayerNoise("fc", "Gemm", "f", 20.0)], ObjectiveWeights.Equal, Budget.None, "", []);
    }

    private static SelectionRequest Request(Budget budget, TargetCpu target = TargetCpu.Portable) =>
        new(new Dataset([], [], null), new CompressionSettings { Target = target }) { Budget = budget };

    [Fact]
    public void A_loss_over_a_point_without_a_budget_names_the_worst_layers()
    {
        var warnings = MeasurementWarnings.For(Result(Original with { Accuracy = 0.885 }), Request(Budget.None), Vnni);

        var warning = Assert.Single(warnings);
        Assert.Equal("MB2006", warning.Code);
        Assert.Contains("loses 1.50 points of top-1 (90.00 % -> 88.50 %)", warning.Message);
        Assert.Contains("ExcludeNodes=\"conv_3;fc\"", warning.Message);
    }

    [Fact]
    public void A_loss_under_a_point_or_under_a_budget_says_nothing()
    {
        Assert.Empty(MeasurementWarnings.For(Result(Original with { Accuracy = 0.895 }), Request(Budget.None), Vnni));
        Assert.Empty(MeasurementWarnings.For(Result(Original with { Accuracy = 0.80 }), Request(new Budget(new AccuracyDrop(20, false))), Vnni));
    }

    [Fact]
    public void A_slower_model_is_a_warning_even_without_a_latency_budget()
    {
        var warnings = MeasurementWarnings.For(Result(Original with { LatencyMilliseconds = 1.4 }), Request(Budget.None), Avx2Only);

        var warning = Assert.Single(warnings);
        Assert.Equal("MB2005", warning.Code);
        Assert.Contains("(1.40x)", warning.Message);
        Assert.Contains("x64 AVX2, no VNNI", warning.Message);
        Assert.Empty(MeasurementWarnings.For(Result(Original with { LatencyMilliseconds = 1.04 }), Request(Budget.None), Avx2Only));
        // A tiny model's 1.5x may be a few microseconds of timer noise.
        var tiny = Original with { LatencyMilliseconds = 0.006 };
        Assert.Empty(MeasurementWarnings.For(Result(tiny with { LatencyMilliseconds = 0.009 }) with { Original = tiny }, Request(Budget.None), Avx2Only));
    }

    [Theory]
    [InlineData(TargetCpu.X64Vnni, true)]
    [InlineData(TargetCpu.Arm64, true)]
    [InlineData(TargetCpu.X64Avx2, false)]
    [InlineData(TargetCpu.Portable, false)]
    public void Figures_measured_on_another_kind_of_cpu_than_the_target_are_said_to_be_this_machines(TargetCpu target, bool warned)
    {
        var warnings = MeasurementWarnings.For(Result(Original), Request(Budget.None, target), Avx2Only);

        Assert.Equal(warned, warnings.Any(w => w.Code == "MB2004" && w.Message.Contains("x64 AVX2, no VNNI", StringComparison.Ordinal)));
        // A model without integer kernels computes the same everywhere.
        Assert.DoesNotContain(MeasurementWarnings.For(Result(Original, scheme: null), Request(Budget.None, target), Avx2Only), w => w.Code == "MB2004");
    }
}
