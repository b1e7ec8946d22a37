using System.Globalization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Datasets;

/// <summary>
/// What the model's first input expects of an image, read from its declared shape: channels, height and width
/// (null where the dimension is symbolic) and whether channels come last (NHWC); and how many classes its first
/// output scores (its last dimension), to check labels against, and whether that output is a CTC recognizer's
/// [N, T, C] (declared rank 3), whose labels are texts.
/// </summary>
public sealed record ModelInputLayout(string InputName, int? Channels, int? Height, int? Width, bool ChannelsLast, int? ClassCount)
{
    /// <summary>The first output is declared [N, T, C]: a CTC text recognizer, labeled with texts rather than classes.</summary>
    public bool IsTextRecognizer { get; init; }

    public static ModelInputLayout Of(ModelProto model)
    {
        var input = ModelSignature.Inputs(model)[0];
        var output = ModelSignature.Outputs(model).FirstOrDefault();
        var dims = (input.Dims ?? []).Select(Number).ToList();
        var classCount = output?.Dims is { Count: > 0 } outputDims ? Number(outputDims[^1]) : null;
        var textRecognizer = output?.Dims is { Count: 3 };
        if (dims.Count != 4)
            return new ModelInputLayout(input.Name, null, null, null, false, classCount) { IsTextRecognizer = textRecognizer };
        // NCHW unless the second dimension cannot be a channel count while the last one can (NHWC exports from TF).
        var channelsLast = dims[1] is not (1 or 3) && dims[3] is 1 or 3;
        return (channelsLast
            ? new ModelInputLayout(input.Name, dims[3], dims[1], dims[2], true, classCount)
            : new ModelInputLayout(input.Name, dims[1], dims[2], dims[3], false, classCount)) with { IsTextRecognizer = textRecognizer };
    }

    /// <summary>The declared shape as words for messages, e.g. <c>1x28x28 (CxHxW)</c>.</summary>
    public string Describe() => ChannelsLast
        ? $"{Text(Height)}x{Text(Width)}x{Text(Channels)} (HxWxC)"
        : $"{Text(Channels)}x{Text(Height)}x{Text(Width)} (CxHxW)";

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "any";

    private static int? Number(string dimension) =>
        int.TryParse(dimension, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
