using ModelBuild.Compression.Opsets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>Preparation: raises the default-domain opset (static int8 needs 13 for per-channel DequantizeLinear).</summary>
[RecipeStep(RecipeSteps.UpgradeOpset)]
internal sealed class UpgradeOpsetPass(RecipeStep step) : IModelPass
{
    private readonly long opset = long.Parse(step.Argument("opset") ?? step.Definition.Parameters[0].Default, System.Globalization.CultureInfo.InvariantCulture);

    public int Apply(ModelProto model, PassContext context)
    {
        if (OnnxGraph.OpsetVersion(model) >= opset) return 0;
        var upgraded = OpsetUpgrader.Upgrade(model, opset);
        model.Graph = upgraded.Graph;
        model.OpsetImport.Clear();
        model.OpsetImport.Add(upgraded.OpsetImport);
        model.IrVersion = upgraded.IrVersion;
        return 1;
    }
}
