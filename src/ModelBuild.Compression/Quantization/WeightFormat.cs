namespace ModelBuild.Compression.Quantization;

/// <summary>How weights are stored: per output channel, symmetric (zero point at the middle of the grid).</summary>
public enum WeightFormat
{
    /// <summary>int8 in [-127, 127]: exact only on CPUs with VNNI (AVX-512 VNNI / AVX-VNNI), AMX and ARM64.</summary>
    Int8,

    /// <summary>
    /// int8 in [-64, 64] (7 bits): on x86 without VNNI the u8 x s8 kernels add pairs of products in 16 bits, which
    /// full-range weights can overflow; one bit less cannot.
    /// </summary>
    Int8ReducedRange,

    /// <summary>uint8 with zero point 128 (the int8 grid shifted): u8 x u8 kernels, the other way around that overflow.</summary>
    UInt8,

    /// <summary>
    /// Chosen per weight, every choice exact on every CPU: full int8 for depthwise Conv (ONNX Runtime's depthwise
    /// kernels sum in 32 bits), 7 bits where they keep the weight's SQNR at or above
    /// <see cref="PerChannelWeights.SevenBitSqnrFloorDecibels"/>, uint8 (u8 x u8 kernels) where they do not.
    /// </summary>
    PerLayer,
}
