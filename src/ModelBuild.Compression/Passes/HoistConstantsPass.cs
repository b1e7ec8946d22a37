using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>Preparation: Constant nodes become initializers, so the passes that look for weights find them.</summary>
[RecipeStep(RecipeSteps.HoistConstants)]
internal sealed class HoistConstantsPass : IModelPass
{
    public int Apply(ModelProto model, PassContext context)
    {
        var hoisted = OnnxGraph.HoistConstants(model);
        if (hoisted > 0) context.Progress?.Report($"{hoisted} Constant nodes moved to initializers");
        return hoisted;
    }
}
