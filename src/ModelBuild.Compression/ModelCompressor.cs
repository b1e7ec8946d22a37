using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Packing;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.StaticQuantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression;

/// <summary>Runs a recipe's passes on a copy of the model; the caller's model is never changed.</summary>
public static class ModelCompressor
{
    public static CompressionResult Compress(ModelProto model, Recipe recipe, IProgress<string>? progress = null) =>
        Compress(model, recipe, CompressionSettings.Default, progress);

    /// <exception cref="CompressionException">MB1017 when <c>int8</c> or <c>int8-full</c> is given no calibration inputs.</exception>
    public static CompressionResult Compress(ModelProto model, Recipe recipe, CompressionSettings settings, IProgress<string>? progress = null)
    {
        if (!recipe.IsPacked)
            return CompressBase(model, recipe, settings, progress);
        // `huffman` packs the original, re-expressed for the target when it is quantized already.
        var result = recipe.Base == Recipe.None ? AsIsForTarget(model, settings.Target, progress).Result : CompressBase(model, recipe.Base, settings, progress);
        var onnx = OnnxModelFile.ToBytes(result.Model);
        var container = ModelContainerWriter.Write(onnx);
        progress?.Report($"packed {onnx.LongLength:N0} bytes of ONNX into a {container.LongLength:N0}-byte container ({recipe.Name})");
        return result with { Container = container, AppliedRecipe = result.AppliedRecipe?.WithHuffman() };
    }

    private static CompressionResult CompressBase(ModelProto model, Recipe recipe, CompressionSettings settings, IProgress<string>? progress)
    {
        if (recipe == Recipe.Auto)
            throw new ArgumentException("'auto' is a search over recipes: run it through AutoSelection", nameof(recipe));
        if (recipe == Recipe.None)
            return new CompressionResult(model.Clone(), []) { Scheme = SchemeAsIs(model) };

        var quantizedOperators = QuantizedModelDetector.QuantizedOperatorTypes(model);
        if (quantizedOperators.Count > 0)
            return ForTarget(model, recipe, settings.Target, quantizedOperators, progress);

        var scheme = settings.Scheme ?? TargetCpus.SchemeFor(settings.Target);
        var weightFormat = TargetCpus.WeightFormatOf(scheme);
        if (recipe == Recipe.Int8)
            return CompressStatic(model, recipe, settings.Int8 with { WeightFormat = weightFormat }, settings, progress) with { Scheme = scheme };
        if (recipe == Recipe.Int8Full)
            return CompressStatic(model, recipe, settings.Int8 with { WeightFormat = weightFormat, ActivationType = ActivationType.UInt8, UInt8InputsAndOutputs = true }, settings, progress) with { Scheme = scheme };

        var compressed = model.Clone();
        var hoisted = OnnxGraph.HoistConstants(compressed);
        if (hoisted > 0) progress?.Report($"{hoisted} Constant nodes moved to initializers");
        var reshaped = ConstantReshapeFolder.Fold(compressed);
        if (reshaped > 0) progress?.Report($"{reshaped} Reshape nodes of constant weights folded into the weights");
        var integerKernels = recipe == Recipe.Int8Dynamic ? new DynamicQuantizeMatMulPass(weightFormat) : null;
        var changed = PassesOf(recipe, integerKernels).Sum(pass => pass.Apply(compressed, progress));
        if (changed == 0)
        {
            return new CompressionResult(model.Clone(), [new CompressionWarning(DiagnosticCodes.NothingToCompress,
                $"recipe '{recipe.Name}' found no weights to compress ({Candidates(recipe)}); the model is stored unchanged")]);
        }
        IntroducedNameShortener.Shorten(model, compressed);
        // Only DynamicQuantizeMatMul runs integer kernels; int8-dynamic's Conv weights are widened at load.
        var runsIntegerKernels = compressed.Graph.Node.Any(n => n.OpType == "DynamicQuantizeMatMul");
        return new CompressionResult(compressed, []) { Scheme = runsIntegerKernels ? scheme : null };
    }

    /// <summary>
    /// An already-quantized model is never quantized again. For a target where its full-range int8 weights could
    /// saturate, they are re-expressed as uint8 (lossless, <see cref="UInt8WeightRewriter"/>); otherwise it passes
    /// through unchanged.
    /// </summary>
    private static CompressionResult ForTarget(ModelProto model, Recipe recipe, TargetCpu target, IReadOnlyList<string> quantizedOperators, IProgress<string>? progress)
    {
        var (result, rewritten) = AsIsForTarget(model, target, progress);
        var what = rewritten > 0
            ? $"recipe '{recipe.Name}' did not quantize it twice: it re-expressed {rewritten} full-range int8 weight tensors as uint8 for target '{TargetCpus.Name(target)}' (the same integers; u8 x u8 kernels cannot saturate) and left the rest as it was, so it is described as 'none'"
            : $"recipe '{recipe.Name}' passed it through unchanged rather than quantizing it twice, so it is described as 'none'";
        List<CompressionWarning> warnings = [new(DiagnosticCodes.AlreadyQuantized,
            $"the model is already quantized (it uses {string.Join(", ", quantizedOperators)}); {what}. Use recipe 'huffman' to pack it losslessly, or 'none' to store it as it is")];
        if (recipe == Recipe.Int8Full)
            warnings.Add(new(DiagnosticCodes.BoundaryStaysFloat,
                "recipe 'int8-full' makes a model's inputs and outputs uint8, but this model passes through unchanged: they stay float, and the generated class takes and returns float, not bytes. Use 'none' to say so, or quantize the float original with 'int8-full'"));
        return result with { Warnings = warnings, AppliedRecipe = Recipe.None };
    }

    /// <summary>The model as it is, except that a quantized model's saturating weights become uint8 where the target needs it.</summary>
    private static (CompressionResult Result, int Rewritten) AsIsForTarget(ModelProto model, TargetCpu target, IProgress<string>? progress)
    {
        // Rewritten once: the count says whether the model has weights that can saturate (scheme u8s8 as it is).
        var copy = model.Clone();
        var rewritten = UInt8WeightRewriter.Rewrite(copy);
        if (rewritten == 0)
            return (new CompressionResult(model.Clone(), []), 0);
        if (TargetCpus.SchemeFor(target) == Int8Scheme.U8S8)
            return (new CompressionResult(model.Clone(), []) { Scheme = Int8Scheme.U8S8 }, 0);
        progress?.Report($"{rewritten} full-range int8 weight tensors re-expressed as uint8 for target '{TargetCpus.Name(target)}' (zero point + 128: the same integers, exact on every CPU)");
        return (new CompressionResult(copy, []) { Scheme = Int8Scheme.U8U8 }, rewritten);
    }

    /// <summary>
    /// The scheme of a model's own integer weights: <see cref="Int8Scheme.U8S8"/> when some int8 weight of an integer
    /// kernel lies outside [-64, 64] (it can saturate), null for a model with none (float, or nothing to saturate).
    /// </summary>
    private static Int8Scheme? SchemeAsIs(ModelProto model)
    {
        if (!QuantizedModelDetector.IsQuantized(model)) return null;
        return UInt8WeightRewriter.Rewrite(model.Clone()) > 0 ? Int8Scheme.U8S8 : null;
    }

    private static CompressionResult CompressStatic(ModelProto model, Recipe recipe, StaticQuantizationOptions options, CompressionSettings settings, IProgress<string>? progress)
    {
        if (settings.CalibrationInputs is null)
            throw new CompressionException(DiagnosticCodes.DataRequired, "", DataRequiredMessages.CalibrationData(recipe.Name));
        var inputName = OnnxGraph.RealInputs(model.Graph)[0].Name;
        var samples = settings.CalibrationInputs.Select(input => (IReadOnlyDictionary<string, Data.ImageTensor>)new Dictionary<string, Data.ImageTensor> { [inputName] = input });
        var result = StaticInt8Quantizer.Quantize(model, samples, options, progress);
        IntroducedNameShortener.Shorten(model, result.Model);
        return new CompressionResult(result.Model, []);
    }

    private static IReadOnlyList<IWeightPass> PassesOf(Recipe recipe, IWeightPass? integerKernels) => recipe.Name switch
    {
        "fp16" => [new Float16WeightsPass()],
        "int8-dynamic" => [new Int8ConvWeightsPass(), integerKernels!],
        _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe.Name, "a recipe without passes"),
    };

    private static string Candidates(Recipe recipe) => recipe.Name switch
    {
        "fp16" => $"float tensors of at least {Float16WeightsPass.MinElements} elements",
        _ => $"float Conv, MatMul or Gemm weights of at least {WeightSelection.MinInt8Elements} elements",
    };
}
