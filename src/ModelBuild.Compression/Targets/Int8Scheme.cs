namespace ModelBuild.Compression.Targets;

/// <summary>
/// How int8 weights meet ONNX Runtime's integer kernels, named after the kernel (activation x weight type) and the
/// weights' bits. docs/internals.md ("Target CPU") has the measurements the choice per target rests on.
/// </summary>
public enum Int8Scheme
{
    /// <summary>Full-range int8 weights, u8 x s8 kernels: fastest, but saturates on x64 without VNNI.</summary>
    U8S8,

    /// <summary>7-bit int8 weights in [-64, 64] (full int8 for depthwise Conv): 255 x 64 x 2 = 32,640 fits the 16-bit pair sums, so exact on every kernel.</summary>
    U8S7,

    /// <summary>uint8 weights (the int8 grid shifted by 128): u8 x u8 kernels, exact on every kernel, half speed or worse on x64.</summary>
    U8U8,

    /// <summary>
    /// Per weight, each exact on every kernel: full int8 for depthwise Conv, 7 bits where they cost little (weight
    /// SQNR at 7 bits of at least 34 dB), uint8 where they would cost accuracy.
    /// </summary>
    PerLayer,
}
