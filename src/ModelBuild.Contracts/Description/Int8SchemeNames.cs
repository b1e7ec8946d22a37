namespace ModelBuild.Contracts.Description;

/// <summary>
/// The int8 weight scheme names of the description's <c>int8-scheme</c> record, the report and the runtime's
/// <c>ModelInfo.Int8Scheme</c>. What each scheme stores is ModelBuild.Compression's (<c>TargetCpus.Describe</c>).
/// </summary>
public static class Int8SchemeNames
{
    /// <summary>Full-range int8 weights: exact only where u8 x s8 kernels do not saturate (VNNI, AMX, ARM64).</summary>
    public const string U8S8 = "u8s8";

    /// <summary>7-bit int8 weights, exact on every x64 kernel.</summary>
    public const string U8S7 = "u8s7";

    /// <summary>uint8 weights with zero point 128.</summary>
    public const string U8U8 = "u8u8";

    /// <summary>Each layer's own exact scheme.</summary>
    public const string PerLayer = "per-layer";
}
