namespace ModelBuild.Compression.StaticQuantization;

/// <summary>How weights are stored: per output channel, symmetric (zero point at the middle of the grid).</summary>
public enum WeightFormat
{
    /// <summary>int8 in [-127, 127]: right for CPUs with VNNI (AVX-512 VNNI / AVX-VNNI) and for ARM.</summary>
    Int8,

    /// <summary>
    /// int8 in [-64, 64] (7 bits): on x86 without VNNI the u8 x s8 kernels add pairs of products in 16 bits, which
    /// full-range weights can overflow; one bit less cannot.
    /// </summary>
    Int8ReducedRange,

    /// <summary>uint8 with zero point 128 (the int8 grid shifted): u8 x u8 kernels, the other way around that overflow.</summary>
    UInt8,
}
