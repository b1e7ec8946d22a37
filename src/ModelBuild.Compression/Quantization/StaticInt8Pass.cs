using System.Globalization;
using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Targets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// <c>int8[:calibration[:percentile]]</c> and <c>int8-full</c> (the same with uint8 graph inputs and outputs): static
/// QDQ int8 calibrated on the settings' calibration inputs. The pipeline has run the preparation the steps declare
/// (opset 13, weights as initializers, BatchNormalization folded). A parameter given in the recipe wins over the
/// item's option (CalibrationMethod, <c>--calibration-method</c>), which wins over the grammar's default.
/// </summary>
[RecipeStep(RecipeSteps.Int8)]
[RecipeStep(RecipeSteps.Int8Full)]
internal sealed class StaticInt8Pass(RecipeStep step) : IModelPass
{
    public int Apply(ModelProto model, PassContext context) => Quantize(model, context, step.Name, Options(step, context.Settings.Int8));

    /// <summary>
    /// Static int8 with <paramref name="options"/> (the target's weight format set here), calibrated on the settings'
    /// inputs; also what the low-bit steps finish with. Returns how many nodes it quantized.
    /// </summary>
    internal static int Quantize(ModelProto model, PassContext context, string stepName, StaticQuantizationOptions options)
    {
        var calibrationInputs = context.Settings.CalibrationInputs
            ?? throw new InvalidOperationException($"'{stepName}' needs calibration data: the pipeline checks its needs before it runs");
        options = options with { WeightFormat = TargetCpus.WeightFormatOf(context.Scheme) };
        var inputName = OnnxGraph.RealInputs(model.Graph)[0].Name;
        var samples = calibrationInputs.Select(input => (IReadOnlyDictionary<string, ImageTensor>)new Dictionary<string, ImageTensor> { [inputName] = input });
        return StaticInt8Quantizer.QuantizePrepared(model, samples, options, context.Progress).QuantizedNodes.Count;
    }

    /// <summary>Static int8 always runs integer kernels on the target's scheme (QLinear fusions of its QDQ pairs).</summary>
    public bool RunsIntegerKernels(ModelProto model) => true;

    /// <summary>The options <paramref name="step"/> quantizes with: its parameters over <paramref name="defaults"/> (the item's options).</summary>
    public static StaticQuantizationOptions Options(RecipeStep step, StaticQuantizationOptions defaults)
    {
        var options = defaults;
        if (step.Argument("calibration") is { } method)
            options = options with { CalibrationMethod = Enum.Parse<CalibrationMethod>(method, ignoreCase: true) };
        if (step.Argument("percentile") is { } percentile)
            options = options with { Percentile = double.Parse(percentile, CultureInfo.InvariantCulture) };
        return step.Name == RecipeSteps.Int8Full
            ? options with { ActivationType = ActivationType.UInt8, UInt8InputsAndOutputs = true }
            : options;
    }
}
