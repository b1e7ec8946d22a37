using ModelBuild.Compression.Calibration;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StaticQuantization;

/// <summary>The QDQ model, the range each quantized activation got, and which nodes were quantized.</summary>
public sealed record StaticQuantizationResult(
    ModelProto Model,
    IReadOnlyDictionary<string, TensorRange> ActivationRanges,
    IReadOnlyList<string> QuantizedNodes);
