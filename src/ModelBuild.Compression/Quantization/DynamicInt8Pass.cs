using ModelBuild.Compression.Passes;
using ModelBuild.Compression.Targets;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// <c>int8-dynamic</c>: Conv weights stored as int8 and widened at load (<see cref="Int8ConvWeightsPass"/>), MatMul and
/// Gemm run as DynamicQuantizeMatMul with weights in the target's format (<see cref="DynamicQuantizeMatMulPass"/>).
/// </summary>
[RecipeStep(RecipeSteps.Int8Dynamic)]
internal sealed class DynamicInt8Pass : IModelPass
{
    public string NothingToCompress => $"float Conv, MatMul or Gemm weights of at least {WeightSelection.MinInt8Elements} elements";

    public int Apply(ModelProto model, PassContext context) =>
        new Int8ConvWeightsPass().Apply(model, context.Progress)
        + new DynamicQuantizeMatMulPass(TargetCpus.WeightFormatOf(context.Scheme)).Apply(model, context.Progress);

    /// <summary>Only DynamicQuantizeMatMul runs integer kernels; the Conv weights are widened to float at load.</summary>
    public bool RunsIntegerKernels(ModelProto model) => model.Graph.Node.Any(n => n.OpType == "DynamicQuantizeMatMul");
}
