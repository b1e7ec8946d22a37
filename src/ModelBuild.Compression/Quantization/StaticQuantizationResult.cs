using ModelBuild.Compression.Calibration;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// The QDQ model, the range each quantized activation got, which nodes were quantized, and the uint8 grid of each
/// graph input and output that became uint8 (empty unless <see cref="StaticQuantizationOptions.UInt8InputsAndOutputs"/>).
/// </summary>
public sealed record StaticQuantizationResult(
    ModelProto Model,
    IReadOnlyDictionary<string, TensorRange> ActivationRanges,
    IReadOnlyList<string> QuantizedNodes,
    IReadOnlyList<BoundaryQuantization> Boundaries);
