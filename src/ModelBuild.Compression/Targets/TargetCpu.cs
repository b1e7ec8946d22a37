namespace ModelBuild.Compression.Targets;

/// <summary>The CPUs a compressed model is meant to run on; it decides the <see cref="Int8Scheme"/> of integer kernels.</summary>
public enum TargetCpu
{
    /// <summary>Any CPU ONNX Runtime runs on: only integer arithmetic that no kernel can saturate (the default).</summary>
    Portable,

    /// <summary>x64 with AVX-512 VNNI, AVX-VNNI or AMX: full-range int8 weights are exact there.</summary>
    X64Vnni,

    /// <summary>x64 with AVX2 (or AVX-512) but no VNNI: the u8 x s8 kernels saturate on full-range int8 weights.</summary>
    X64Avx2,

    /// <summary>ARM64: its int8 kernels sum in 32 bits, so full-range int8 weights are exact.</summary>
    Arm64,
}
