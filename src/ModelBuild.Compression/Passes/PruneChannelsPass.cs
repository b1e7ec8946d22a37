using System.Globalization;
using ModelBuild.Compression.Reconstruction;
using ModelBuild.Compression.StructuredPruning;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Passes;

/// <summary>
/// <c>prune-channels[:fraction[:of[:multiple[:repair]]]]</c>: structured pruning on the ONNX graph (<see cref="ChannelPruner"/>): whole filters
/// removed with the input channels that read them, the next layers re-fitted on the calibration inputs. The result is
/// a smaller standard ONNX model with the same inputs and outputs.
/// </summary>
[RecipeStep(RecipeSteps.PruneChannels)]
internal sealed class PruneChannelsPass(RecipeStep step) : IModelPass
{
    public int Apply(ModelProto model, PassContext context)
    {
        var calibrationInputs = context.Settings.CalibrationInputs
            ?? throw new InvalidOperationException($"'{step.Name}' needs calibration data: the pipeline checks its needs before it runs");
        var fraction = double.Parse(step.Argument("fraction") ?? RecipeSteps.PruneChannelsParameters[0].Default, CultureInfo.InvariantCulture);
        var measure = step.Argument("of") switch
        {
            "macs" => PruningMeasure.MultiplyAccumulates,
            "latency" => PruningMeasure.Latency,
            _ => PruningMeasure.Channels,
        };
        var multiple = int.Parse(step.Argument("multiple") ?? RecipeSteps.PruneChannelsParameters[2].Default, CultureInfo.InvariantCulture);
        var reconstruction = (step.Argument("repair") ?? RecipeSteps.PruneChannelsParameters[3].Default) == "blocks" ? new ReconstructionSettings() : null;
        return ChannelPruner.Prune(model, new ChannelPruningOptions(fraction, measure, multiple, context.Settings.Int8.Excludes, reconstruction), calibrationInputs, context.Progress).Removed;
    }

    public string? NothingToCompress => "Conv or Gemm output channels that can be removed safely";
}
