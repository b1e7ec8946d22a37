namespace ModelBuild.Compression.Quantization;

/// <summary>The integer type activations are quantized to (per tensor, asymmetric: a zero point places 0 exactly).</summary>
public enum ActivationType
{
    /// <summary>[0, 255]: ONNX Runtime's fast path on x86 (u8 activations x s8 weights, VNNI).</summary>
    UInt8,

    /// <summary>[-128, 127].</summary>
    Int8,
}
