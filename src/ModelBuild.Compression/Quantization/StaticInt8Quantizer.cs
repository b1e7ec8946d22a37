using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Opsets;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Targets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// Static int8 quantization in QDQ form: the model is prepared (upgraded to opset 13 for per-channel DequantizeLinear,
/// Constant weights hoisted, BatchNormalization folded into Conv); the float model is calibrated in ONNX Runtime
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
        return QuantizePrepared(Prepare(model), calibrationInputs, options, progress);
    }

    /// <summary>
    /// Quantizes, in place, a float model the preparation steps of <c>int8</c> have run on (<see cref="Prepare"/>, or
    /// the recipe pipeline, which inserts them); the result's model is <paramref name="prepared"/>.
    /// </summary>
    internal static StaticQuantizationResult QuantizePrepared(ModelProto prepared, IEnumerable<IReadOnlyDictionary<string, ImageTensor>> calibrationInputs,
        StaticQuantizationOptions options, IProgress<string>? progress)
    {
        if (options.UInt8InputsAndOutputs && options.ActivationType != ActivationType.UInt8)
            throw new ArgumentException($"uint8 inputs and outputs need uint8 activations, found {options.ActivationType}", nameof(options));
        // The quantizer adds initializers that are not graph inputs.
        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(prepared);
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

    /// <summary>
    /// The float model the quantizer calibrates and rewrites: a copy with the preparation steps <c>int8</c> declares
    /// it needs (opset 13, weights as initializers with constant reshapes folded, BatchNormalization and per-channel
    /// Add folded into Conv), run by the same passes the recipe pipeline inserts.
    /// </summary>
    public static ModelProto Prepare(ModelProto model)
    {
        var prepared = model.Clone();
        var context = new PassContext(Recipe.Int8, CompressionSettings.Default, TargetCpus.SchemeFor(TargetCpu.Portable), null);
        foreach (var step in Recipe.Int8.PipelineSteps().Where(s => s.Definition.Order == OrderClass.Preparation))
            ((IModelPass)RecipePasses.Create(step)).Apply(prepared, context);
        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(prepared);
        return prepared;
    }
}
