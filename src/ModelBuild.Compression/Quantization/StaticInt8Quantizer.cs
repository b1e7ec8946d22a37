using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Opsets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Static int8 quantization in QDQ form: the model is upgraded to opset 13 (per-channel DequantizeLinear), its
/// Constant weights hoisted and BatchNormalization folded into Conv; the float model is calibrated in ONNX Runtime
/// on the given inputs; then weights are quantized per channel, activations per tensor over the calibrated ranges.
/// </summary>
public static class StaticInt8Quantizer
{
    /// <param name="model">A float model; it is not modified.</param>
    /// <param name="calibrationInputs">Inputs by graph input name, batch 1; enumerated once, one at a time.</param>
    /// <param name="options">Calibration method, types and exclusions.</param>
    /// <param name="progress">Receives a line per step.</param>
    /// <exception cref="OpsetUpgradeException">the model uses an operator change the upgrader does not convert.</exception>
    public static StaticQuantizationResult Quantize(ModelProto model, IEnumerable<IReadOnlyDictionary<string, ImageTensor>> calibrationInputs,
        StaticQuantizationOptions options, IProgress<string>? progress = null)
    {
        var alreadyQuantized = QuantizedModelDetector.QuantizedOperatorTypes(model);
        if (alreadyQuantized.Count > 0)
            throw new ArgumentException($"expected a float model, found quantized operators ({string.Join(", ", alreadyQuantized)}); quantizing again would only lose accuracy", nameof(model));
        if (options.UInt8InputsAndOutputs && options.ActivationType != ActivationType.UInt8)
            throw new ArgumentException($"uint8 inputs and outputs need uint8 activations, found {options.ActivationType}", nameof(options));
        var prepared = Prepare(model);
        progress?.Report($"prepared the float model (opset {OnnxGraph.OpsetVersion(prepared)})");
        var calibration = ActivationCalibrator.Observe(prepared, calibrationInputs, progress);
        var names = new GraphNames(prepared.Graph);
        var rewriter = new QdqRewriter(prepared, calibration, options, names);
        var quantizedNodes = rewriter.Rewrite();
        progress?.Report($"quantized {quantizedNodes.Count} nodes by {options.CalibrationMethod} ranges");
        // After calibration, which keeps running the float graph it always ran: the constants left as inputs (IR 3's rule) now fold.
        OnnxGraph.RemoveInitializerInputs(prepared);
        if (!options.UInt8InputsAndOutputs)
            return new StaticQuantizationResult(prepared, rewriter.ActivationRanges, quantizedNodes, []);
        new UInt8BoundaryRewriter(prepared, calibration, options, names).Rewrite();
        var boundaries = BoundaryQuantizationReader.Read(prepared);
        progress?.Report($"graph inputs and outputs in uint8: {string.Join(", ", boundaries.Select(b => $"{b.Kind} {b.Name} scale {b.Scale:R} zero point {b.ZeroPoint}"))}");
        return new StaticQuantizationResult(prepared, rewriter.ActivationRanges, quantizedNodes, boundaries);
    }

    /// <summary>The float model the quantizer calibrates and rewrites: opset 13, weights as initializers (constant reshapes of weights folded), BatchNormalization and per-channel Add folded into Conv.</summary>
    public static ModelProto Prepare(ModelProto model)
    {
        var prepared = OpsetUpgrader.Upgrade(model);
        OnnxGraph.HoistConstants(prepared);
        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(prepared);
        // CNTK's MNIST reshapes its MatMul weight at run time; folded, the MatMul reads an initializer it can quantize.
        ConstantReshapeFolder.Fold(prepared);
        BatchNormalizationFolder.Fold(prepared.Graph, new GraphNames(prepared.Graph));
        ConvAddBiasFolder.Fold(prepared.Graph, new GraphNames(prepared.Graph));
        return prepared;
    }
}
