using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>One compression step over a model's weights; edits the model in place.</summary>
internal interface IWeightPass
{
    /// <summary>Compresses what it can and returns how many weight tensors it changed (0: nothing to do).</summary>
    int Apply(ModelProto model, IProgress<string>? progress);
}
