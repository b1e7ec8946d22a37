using System.Globalization;
using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Packing;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression;

/// <summary>
/// Runs a recipe's steps on a copy of the model, in order: the preparation its steps need (inserted once), its
/// graph surgery and weight representation passes on the ONNX model, then its packing passes on the bytes. The
/// caller's model is never changed. A model that is quantized already is not quantized twice.
/// </summary>
public static class ModelCompressor
{
    public static CompressionResult Compress(ModelProto model, Recipe recipe, IProgress<string>? progress = null) =>
        Compress(model, recipe, CompressionSettings.Default, progress);

    /// <exception cref="CompressionException">MB1017 when a step needs calibration data (<c>int8</c>, <c>int8-full</c>) and there are no calibration inputs.</exception>
    public static CompressionResult Compress(ModelProto model, Recipe recipe, CompressionSettings settings, IProgress<string>? progress = null)
    {
        if (recipe.IsAuto)
            throw new ArgumentException("'auto' is a search over recipes: run it through ModelSelection", nameof(recipe));
        var context = new PassContext(recipe.Base, settings, settings.Scheme ?? TargetCpus.SchemeFor(settings.Target), progress);
        var result = CompressModel(model, recipe, context);
        var packing = recipe.Steps.Where(s => s.Definition.Order == OrderClass.Packing).ToList();
        if (packing.Count == 0)
            return result;
        // The model is the result's own copy: what is packed is what is described and evaluated.
        var negativeZeros = NegativeZeroWeights.Canonicalize(result.Model);
        if (negativeZeros > 0)
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{negativeZeros:N0} negative zero weights made positive before packing (multiplied, -0.0 and 0.0 give the same outputs; the container codes a zero's position, not its sign)"));
        var onnx = OnnxModelFile.ToBytes(result.Model);
        var stored = packing.Aggregate(onnx, (bytes, step) => ((IPackingPass)RecipePasses.Create(step)).Pack(bytes, context));
        // A model the base recipe passed through was only packed: the line names what ran, not what was asked.
        var applied = result.AppliedRecipe is null ? null : recipe.PackingOnly;
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"packed {onnx.LongLength:N0} bytes of ONNX into a {stored.LongLength:N0}-byte container ({(applied ?? recipe).Name})"));
        return result with { Container = stored, AppliedRecipe = applied };
    }

    /// <summary>The ONNX model the recipe's non-packing steps make.</summary>
    private static CompressionResult CompressModel(ModelProto model, Recipe recipe, PassContext context)
    {
        var steps = recipe.Base.Steps;
        if (steps.Count == 0)
        {
            // `none` stores the model as it is; `huffman` packs it re-expressed for the target when it is quantized already.
            return recipe.IsPacked
                ? AsIsForTarget(model, context.Settings, context.Progress).Result
                : new CompressionResult(model.Clone(), []) { Scheme = SchemeAsIs(model) };
        }
        var quantizedOperators = QuantizedModelDetector.QuantizedOperatorTypes(model);
        if (quantizedOperators.Count > 0)
            return ForTarget(model, recipe, context.Settings, quantizedOperators, context.Progress);
        if (recipe.NeedsCalibrationData && context.Settings.CalibrationInputs is null)
            throw new CompressionException(DiagnosticCodes.DataRequired, "", DataRequiredMessages.CalibrationData(recipe.Base.Name));

        var compressed = model.Clone();
        var passes = new List<IModelPass>();
        var changed = 0;
        string? nothingToCompress = null;
        foreach (var step in recipe.Base.PipelineSteps())
        {
            var pass = (IModelPass)RecipePasses.Create(step);
            var count = pass.Apply(compressed, context);
            if (step.Definition.Order == OrderClass.Preparation) continue;
            passes.Add(pass);
            changed += count;
            nothingToCompress ??= pass.NothingToCompress;
        }
        if (changed == 0 && nothingToCompress is not null)
        {
            // Stored unchanged: described as 'none' (the packing step, if any, is added by the caller), not as the recipe asked.
            return new CompressionResult(model.Clone(), [new CompressionWarning(DiagnosticCodes.NothingToCompress,
                $"recipe '{recipe.Base.Name}' found no weights to compress ({nothingToCompress}); the model is stored unchanged")]) { AppliedRecipe = Recipe.None };
        }
        IntroducedNameShortener.Shorten(model, compressed);
        return new CompressionResult(compressed, []) { Scheme = passes.Any(p => p.RunsIntegerKernels(compressed)) ? context.Scheme : null };
    }

    /// <summary>
    /// An already-quantized model is never quantized again. For <c>x64-avx2</c> its full-range int8 weights are
    /// re-expressed as uint8 (lossless, <see cref="UInt8WeightRewriter"/>); otherwise it passes through unchanged
    /// (<see cref="TargetCpus.ReexpressesQuantizedWeights"/> says why).
    /// </summary>
    private static CompressionResult ForTarget(ModelProto model, Recipe asked, CompressionSettings settings, IReadOnlyList<string> quantizedOperators, IProgress<string>? progress)
    {
        var target = settings.Target;
        var (result, rewritten) = AsIsForTarget(model, settings, progress);
        var recipe = asked.Base;
        // What is described, reported and in Info: 'none', or 'huffman' when the asked recipe packs.
        var described = asked.IsPacked ? asked.PackingOnly.Name : Recipe.None.Name;
        var cleaned = (result.Cleanup.Total > 0, result.Folding.Folded) switch
        {
            (_, true) => $"folded the quantization-aware trained export ({result.Folding}; {result.Cleanup})",
            (true, _) => $"cleaned it without changing a value ({result.Cleanup})",
            _ => null,
        };
        var what = (rewritten, cleaned) switch
        {
            ( > 0, _) => $"recipe '{recipe.Name}' did not quantize it twice: it {(cleaned is null ? "" : cleaned + " and ")}re-expressed {rewritten} full-range int8 weight tensors as uint8 for target '{TargetCpus.Name(target)}' (the same integers; u8 x u8 kernels cannot saturate) and left the rest as it was, so it is described as '{described}'",
            (_, not null) => $"recipe '{recipe.Name}' did not quantize it twice: it {cleaned}, so it is described as '{described}'",
            _ => $"recipe '{recipe.Name}' passed it through unchanged rather than quantizing it twice, so it is described as '{described}'",
        };
        List<CompressionWarning> warnings = [.. result.Warnings, new(DiagnosticCodes.AlreadyQuantized,
            $"the model is already quantized (it uses {string.Join(", ", quantizedOperators)}); {what}. Use recipe 'huffman' to pack it losslessly, or 'none' to store it as it is")];
        if (recipe.Steps.Any(s => s.Name == RecipeSteps.Int8Full))
            warnings.Add(new(DiagnosticCodes.BoundaryStaysFloat,
                "recipe 'int8-full' makes a model's inputs and outputs uint8, but this model passes through unchanged: they stay float, and the generated class takes and returns float, not bytes. Use 'none' to say so, or quantize the float original with 'int8-full'"));
        return result with { Warnings = warnings, AppliedRecipe = Recipe.None };
    }

    /// <summary>
    /// The model cleaned (<see cref="QuantizedExportCleaner"/>: the same values, so ONNX Runtime can fuse its QDQ
    /// groups), except that a quantized model's saturating weights become uint8 where the target needs it.
    /// </summary>
    private static (CompressionResult Result, int Rewritten) AsIsForTarget(ModelProto model, CompressionSettings settings, IProgress<string>? progress)
    {
        var target = settings.Target;
        var cleaned = model.Clone();
        var quantized = QuantizedModelDetector.IsQuantized(cleaned);
        var cleanup = quantized ? QuantizedExportCleaner.Clean(cleaned) : default;
        if (cleanup.Total > 0) progress?.Report($"quantized export cleaned: {cleanup}");
        // Missing Q/DQ go on calibrated ranges when the item gives calibration data, as static int8 would measure them.
        var folding = quantized ? FakeQuantizedExportFolder.Fold(cleaned, settings.CalibrationInputs, settings.Int8, progress) : FakeQuantFolding.None;
        if (folding.Folded) progress?.Report($"fake-quantized export folded: {folding}");
        if (folding.CalibratedOn > 0 && folding.CompletedQdq.Count > 0)
            progress?.Report($"missing QuantizeLinear/DequantizeLinear completed from calibration data: {string.Join("; ", folding.CompletedQdq)}");
        List<CompressionWarning> warnings = folding.CompletedQdq.Count == 0 || folding.CalibratedOn > 0 ? [] : [new(DiagnosticCodes.QuantizationCompleted,
            $"the quantization-aware trained export leaves {folding.CompletedQdq.Count} Conv/Gemm inputs float, so ONNX Runtime would run them in float: QuantizeLinear/DequantizeLinear added on the grid of the DequantizeLinear they come from through MaxPool/Relu/Flatten/Reshape, which keep values on that grid: {string.Join("; ", folding.CompletedQdq)}. Give calibration data (CalibrationData, --calibration-data) to measure their ranges instead")];
        // Rewritten once: the count says whether the model has weights that can saturate (scheme u8s8 as it is).
        var copy = cleaned.Clone();
        var rewritten = UInt8WeightRewriter.Rewrite(copy);
        if (rewritten == 0)
            return (new CompressionResult(cleaned, warnings) { Cleanup = cleanup, Folding = folding }, 0);
        if (!TargetCpus.ReexpressesQuantizedWeights(target))
        {
            // Kept int8: on CPUs without VNNI the app's exact int8 option must be able to re-express each weight alone.
            if (cleanup.Total > 0 || folding.Folded)
                WeightZeroPointUnsharer.Unshare(cleaned);
            return (new CompressionResult(cleaned, warnings) { Scheme = Int8Scheme.U8S8, Cleanup = cleanup, Folding = folding }, 0);
        }
        progress?.Report($"{rewritten} full-range int8 weight tensors re-expressed as uint8 for target '{TargetCpus.Name(target)}' (zero point + 128: the same integers, exact on every CPU)");
        return (new CompressionResult(copy, warnings) { Scheme = Int8Scheme.U8U8, Cleanup = cleanup, Folding = folding }, rewritten);
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
}
