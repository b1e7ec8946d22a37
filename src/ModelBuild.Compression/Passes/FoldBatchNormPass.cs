using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>Preparation: BatchNormalization and a per-channel Add after a Conv are folded into it, so the Conv quantizes alone.</summary>
[RecipeStep(RecipeSteps.FoldBatchNorm)]
internal sealed class FoldBatchNormPass : IModelPass
{
    public int Apply(ModelProto model, PassContext context) =>
        BatchNormalizationFolder.Fold(model.Graph, new GraphNames(model.Graph)) + ConvAddBiasFolder.Fold(model.Graph, new GraphNames(model.Graph));
}
