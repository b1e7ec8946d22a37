using ModelBuild.Compression.Quantization;
using ModelBuild.Contracts.Description;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Compression.Targets;

/// <summary>
/// Target names (spelled as <see cref="TargetCpuNames"/>, shared with the MSBuild task and the description) and the
/// scheme each target uses.
/// </summary>
public static class TargetCpus
{
    /// <summary>The names <see cref="TryParse"/> accepts, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Names => TargetCpuNames.All;

    public static string Name(TargetCpu target) => target switch
    {
        TargetCpu.Portable => TargetCpuNames.Portable,
        TargetCpu.X64Vnni => TargetCpuNames.X64Vnni,
        TargetCpu.X64Avx2 => TargetCpuNames.X64Avx2,
        TargetCpu.Arm64 => TargetCpuNames.Arm64,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    /// <summary>A target name (case-insensitive); <c>native</c> is the named target of <paramref name="machine"/>.</summary>
    public static bool TryParse(string text, InstructionSet machine, out TargetCpu target)
    {
        var name = text.Trim().ToLowerInvariant();
        if (name == TargetCpuNames.Native)
        {
            target = NativeTargetOf(machine);
            return true;
        }
        foreach (var candidate in Enum.GetValues<TargetCpu>())
        {
            if (Name(candidate) == name)
            {
                target = candidate;
                return true;
            }
        }
        target = TargetCpu.Portable;
        return false;
    }

    /// <summary>The named target <paramref name="machine"/> is (<c>native</c>); <c>portable</c> for a CPU no target names.</summary>
    public static TargetCpu NativeTargetOf(InstructionSet machine) => machine switch
    {
        { IsX64: true, U8S8Saturates: false } => TargetCpu.X64Vnni,
        { IsX64: true, Avx2: true } => TargetCpu.X64Avx2,
        { Architecture: System.Runtime.InteropServices.Architecture.Arm64 } => TargetCpu.Arm64,
        _ => TargetCpu.Portable,
    };

    /// <summary>
    /// The scheme a target's int8 weights use. <c>x64-vnni</c> and <c>arm64</c>: full-range int8, exact and fastest
    /// there. <c>x64-avx2</c>: the fastest exact scheme there, 7-bit weights. <c>portable</c>: per layer, 7 bits where
    /// they cost little and uint8 where they would cost accuracy; docs/internals.md ("Target CPU") has the measurements.
    /// </summary>
    public static Int8Scheme SchemeFor(TargetCpu target) => target switch
    {
        TargetCpu.X64Vnni or TargetCpu.Arm64 => Int8Scheme.U8S8,
        TargetCpu.X64Avx2 => Int8Scheme.U8S7,
        _ => Int8Scheme.PerLayer,
    };

    /// <summary>
    /// True when a model quantized elsewhere gets its full-range int8 weights re-expressed as uint8 for this target:
    /// only <c>x64-avx2</c>, whose CPUs would run them at u8 x u8 speed anyway. Every other target keeps the file's
    /// u8 x s8 speed (a QAT export's, for one): on a CPU that saturates, the generated class and the build's
    /// measurements turn on ONNX Runtime's exact option, so the results are the exact ones there too.
    /// </summary>
    public static bool ReexpressesQuantizedWeights(TargetCpu target) => target == TargetCpu.X64Avx2;

    /// <summary>True when the scheme's integer results on <paramref name="machine"/> are the exact ones.</summary>
    public static bool IsExactOn(Int8Scheme scheme, InstructionSet machine) => scheme != Int8Scheme.U8S8 || !machine.U8S8Saturates;

    /// <summary>True when <paramref name="machine"/> is a CPU of <paramref name="target"/>'s kind; any machine is a portable one.</summary>
    public static bool Matches(TargetCpu target, InstructionSet machine) => target == TargetCpu.Portable || NativeTargetOf(machine) == target;

    public static string SchemeName(Int8Scheme scheme) => scheme switch
    {
        Int8Scheme.U8S8 => Int8SchemeNames.U8S8,
        Int8Scheme.U8S7 => Int8SchemeNames.U8S7,
        Int8Scheme.U8U8 => Int8SchemeNames.U8U8,
        Int8Scheme.PerLayer => Int8SchemeNames.PerLayer,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };

    /// <summary>What a scheme stores, for reports and warnings.</summary>
    public static string Describe(Int8Scheme scheme) => scheme switch
    {
        Int8Scheme.U8S8 => "full-range int8 weights (u8 x s8 kernels)",
        Int8Scheme.U8S7 => "7-bit int8 weights in [-64, 64] (u8 x s8 kernels that cannot saturate; depthwise Conv full int8)",
        Int8Scheme.U8U8 => "uint8 weights, zero point 128 (u8 x u8 kernels)",
        Int8Scheme.PerLayer => "per-layer int8 weights: 7 bits where they cost little, uint8 where they would not, full int8 for depthwise Conv (each exact on every CPU)",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };

    public static WeightFormat WeightFormatOf(Int8Scheme scheme) => scheme switch
    {
        Int8Scheme.U8S8 => WeightFormat.Int8,
        Int8Scheme.U8S7 => WeightFormat.Int8ReducedRange,
        Int8Scheme.U8U8 => WeightFormat.UInt8,
        Int8Scheme.PerLayer => WeightFormat.PerLayer,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null),
    };
}
