using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Packing;
using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.StaticQuantization;
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
        var result = CompressBase(model, recipe.Base, settings, progress);
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
            return new CompressionResult(model.Clone(), []);

        var quantizedOperators = QuantizedModelDetector.QuantizedOperatorTypes(model);
        if (quantizedOperators.Count > 0)
        {
            List<CompressionWarning> warnings = [new(CompressionWarning.AlreadyQuantizedCode,
                $"the model is already quantized (it uses {string.Join(", ", quantizedOperators)}); recipe '{recipe.Name}' passed it through unchanged rather than quantizing it twice, so it is described as 'none'. Use recipe 'huffman' to pack it losslessly, or 'none' to store it as it is")];
            if (recipe == Recipe.Int8Full)
                warnings.Add(new(CompressionWarning.BoundaryStaysFloatCode,
                    "recipe 'int8-full' makes a model's inputs and outputs uint8, but this model passes through unchanged: they stay float, and the generated class takes and returns float, not bytes. Use 'none' to say so, or quantize the float original with 'int8-full'"));
            return new CompressionResult(model.Clone(), warnings) { AppliedRecipe = Recipe.None };
        }

        if (recipe == Recipe.Int8)
            return CompressStatic(model, recipe, settings.Int8, settings, progress);
        if (recipe == Recipe.Int8Full)
            return CompressStatic(model, recipe, settings.Int8 with { ActivationType = ActivationType.UInt8, UInt8InputsAndOutputs = true }, settings, progress);

        var compressed = model.Clone();
        var hoisted = OnnxGraph.HoistConstants(compressed);
        if (hoisted > 0) progress?.Report($"{hoisted} Constant nodes moved to initializers");
        var reshaped = ConstantReshapeFolder.Fold(compressed);
        if (reshaped > 0) progress?.Report($"{reshaped} Reshape nodes of constant weights folded into the weights");
        var changed = PassesOf(recipe).Sum(pass => pass.Apply(compressed, progress));
        if (changed == 0)
        {
            return new CompressionResult(model.Clone(), [new CompressionWarning(CompressionWarning.NothingToCompressCode,
                $"recipe '{recipe.Name}' found no weights to compress ({Candidates(recipe)}); the model is stored unchanged")]);
        }
        IntroducedNameShortener.Shorten(model, compressed);
        return new CompressionResult(compressed, []);
    }

    private static CompressionResult CompressStatic(ModelProto model, Recipe recipe, StaticQuantizationOptions options, CompressionSettings settings, IProgress<string>? progress)
    {
        if (settings.CalibrationInputs is null)
            throw new CompressionException(CompressionErrorCodes.DataRequired, "",
                $"recipe '{recipe.Name}' calibrates activation ranges on data: expected calibration inputs (--calibration-data, or CalibrationData on the item), found none");
        var inputName = OnnxGraph.RealInputs(model.Graph)[0].Name;
        var samples = settings.CalibrationInputs.Select(input => (IReadOnlyDictionary<string, Data.ImageTensor>)new Dictionary<string, Data.ImageTensor> { [inputName] = input });
        var result = StaticInt8Quantizer.Quantize(model, samples, options, progress);
        IntroducedNameShortener.Shorten(model, result.Model);
        return new CompressionResult(result.Model, []);
    }

    private static IReadOnlyList<IWeightPass> PassesOf(Recipe recipe) => recipe.Name switch
    {
        "fp16" => [new Float16WeightsPass()],
        "int8-dynamic" => [new Int8ConvWeightsPass(), new DynamicQuantizeMatMulPass()],
        _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe.Name, "a recipe without passes"),
    };

    private static string Candidates(Recipe recipe) => recipe.Name switch
    {
        "fp16" => $"float tensors of at least {Float16WeightsPass.MinElements} elements",
        _ => $"float Conv, MatMul or Gemm weights of at least {WeightSelection.MinInt8Elements} elements",
    };
}
