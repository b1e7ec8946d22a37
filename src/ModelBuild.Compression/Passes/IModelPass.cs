using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>A step that edits the ONNX model in place (preparation, graph surgery, weight representation).</summary>
internal interface IModelPass : IRecipePass
{
    /// <summary>Does what it can and returns how many things it changed (0: nothing to do; a preparation step run twice returns 0).</summary>
    int Apply(ModelProto model, PassContext context);

    /// <summary>
    /// For a weight-representation step, the weights it looks for: when it changed nothing the model is stored
    /// unchanged with MB2002 naming them. Null: its result is kept whatever it changed.
    /// </summary>
    string? NothingToCompress => null;

    /// <summary>Whether the model it made runs ONNX Runtime's integer kernels (so the target's int8 scheme applies).</summary>
    bool RunsIntegerKernels(ModelProto model) => false;
}
