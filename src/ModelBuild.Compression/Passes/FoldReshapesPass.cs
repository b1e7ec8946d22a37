using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>Preparation: a constant Reshape of a weight is folded into the weight (CNTK's MNIST reshapes its MatMul weight at run time).</summary>
[RecipeStep(RecipeSteps.FoldReshapes)]
internal sealed class FoldReshapesPass : IModelPass
{
    public int Apply(ModelProto model, PassContext context)
    {
        var reshaped = ConstantReshapeFolder.Fold(model);
        if (reshaped > 0) context.Progress?.Report($"{reshaped} Reshape nodes of constant weights folded into the weights");
        return reshaped;
    }
}
