using System.Runtime.InteropServices;
using X86 = System.Runtime.Intrinsics.X86;

namespace ModelBuild.Runtime.Cpu;

/// <summary>
/// The CPU features that decide how ONNX Runtime's int8 kernels (MLAS) add up products: on x64 without VNNI or AMX
/// the u8 x s8 GEMM (<c>vpmaddubsw</c>) sums each pair of products in 16 bits with saturation; VNNI
/// (<c>vpdpbusd</c>), AMX, the u8 x u8 kernels and ARM64's kernels sum in 32 bits, exactly.
/// </summary>
public sealed record InstructionSet(Architecture Architecture, bool Avx2, bool Avx512, bool Avx512Vnni, bool AvxVnni, bool AmxInt8, bool ArmDotProduct)
{
    /// <summary>The machine this process runs on, read once.</summary>
    public static InstructionSet Current { get; } = Detect();

    public bool IsX64 => Architecture is Architecture.X64 or Architecture.X86;

    /// <summary>True where ONNX Runtime's u8 x s8 kernels can saturate: x64 without any VNNI form or AMX.</summary>
    public bool U8S8Saturates => IsX64 && !(Avx512Vnni || AvxVnni || AmxInt8);

    /// <summary>
    /// The ONNX Runtime session option that makes it rewrite int8 weights outside [-64, 64] as uint8 (u8 x u8
    /// kernels, exact) on a CPU where <see cref="U8S8Saturates"/>; it changes nothing on other CPUs' results.
    /// </summary>
    public const string ExactInt8SessionOption = "session.x64quantprecision";

    /// <summary>E.g. <c>x64 AVX2, AVX-512, AVX-512 VNNI</c> or <c>ARM64 with dot product</c>: printed beside every measured figure.</summary>
    public string Describe()
    {
        if (Architecture == Architecture.Arm64)
            return ArmDotProduct ? "ARM64 with dot product" : "ARM64 without dot product";
        if (!IsX64)
            return Architecture.ToString();
        var features = new List<string>();
        if (Avx2) features.Add("AVX2");
        if (Avx512) features.Add("AVX-512");
        if (Avx512Vnni) features.Add("AVX-512 VNNI");
        if (AvxVnni) features.Add("AVX-VNNI");
        if (AmxInt8) features.Add("AMX-INT8");
        var vnni = U8S8Saturates ? "no VNNI" : null;
        return "x64 " + string.Join(", ", features.Count == 0 ? ["SSE only"] : vnni is null ? features : [.. features, vnni]);
    }

    private static InstructionSet Detect()
    {
        var architecture = RuntimeInformation.ProcessArchitecture;
        if (architecture is Architecture.X64 or Architecture.X86)
        {
            // .NET reports AVX2 and AVX-512 only where the OS saves their registers; VNNI and AMX come from CPUID
            // (leaf 7: subleaf 0 ECX bit 11 AVX512_VNNI, EDX bit 25 AMX-INT8; subleaf 1 EAX bit 4 AVX-VNNI).
            var avx512 = X86.Avx512F.IsSupported && X86.Avx512BW.IsSupported;
            var leaf7 = X86.X86Base.CpuId(7, 0);
            var leaf7Sub1 = X86.X86Base.CpuId(7, 1);
            return new InstructionSet(architecture,
                Avx2: X86.Avx2.IsSupported,
                Avx512: avx512,
                Avx512Vnni: avx512 && (leaf7.Ecx & (1 << 11)) != 0,
                AvxVnni: X86.Avx2.IsSupported && (leaf7Sub1.Eax & (1 << 4)) != 0,
                AmxInt8: (leaf7.Edx & (1 << 25)) != 0 && (leaf7.Edx & (1 << 24)) != 0,
                ArmDotProduct: false);
        }
        return new InstructionSet(architecture, false, false, false, false, false,
            ArmDotProduct: architecture == Architecture.Arm64 && System.Runtime.Intrinsics.Arm.Dp.IsSupported);
    }
}
