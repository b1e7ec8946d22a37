using System.Globalization;
using ModelBuild.Contracts.Diagnostics;
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

    /// <summary>The input's first dimension when it is a fixed number above 1 (an export traced at batch 16, say);
    /// null when it is 1 or symbolic, so one input at a time fits.</summary>
    public int? FixedBatch { get; init; }

    /// <summary>MB1013 when the input has a <see cref="FixedBatch"/>: calibration, evaluation and diagnosis feed one
    /// input at a time. (Padding every input to the batch would multiply the work and skew the latency per input.)</summary>
    public void RequireOneInputAtATime(string modelPath, string dataName)
    {
        if (FixedBatch is { } batch)
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, modelPath,
                $"the model's input '{InputName}' has a fixed batch of {batch}, and {dataName} is fed one input at a time: expected a first dimension of 1 or a symbolic one, found {batch}. " +
                "Export the model with a dynamic batch (PyTorch: dynamic_axes={'" + InputName + "': {0: 'N'}}), or compress it without data");
    }

    public static ModelInputLayout Of(ModelProto model)
    {
        var input = ModelSignature.Inputs(model)[0];
        var output = ModelSignature.Outputs(model).FirstOrDefault();
        var dims = (input.Dims ?? []).Select(Number).ToList();
        var classCount = output?.Dims is { Count: > 0 } outputDims ? Number(outputDims[^1]) : null;
        var textRecognizer = output?.Dims is { Count: 3 };
        var fixedBatch = dims.Count > 0 && dims[0] > 1 ? dims[0] : null;
        if (dims.Count != 4)
            return new ModelInputLayout(input.Name, null, null, null, false, classCount) { IsTextRecognizer = textRecognizer, FixedBatch = fixedBatch };
        // NCHW unless the second dimension cannot be a channel count while the last one can (NHWC exports from TF).
        var channelsLast = dims[1] is not (1 or 3) && dims[3] is 1 or 3;
        return (channelsLast
            ? new ModelInputLayout(input.Name, dims[3], dims[1], dims[2], true, classCount)
            : new ModelInputLayout(input.Name, dims[1], dims[2], dims[3], false, classCount)) with { IsTextRecognizer = textRecognizer, FixedBatch = fixedBatch };
    }

    /// <summary>The declared shape as words for messages, e.g. <c>1x28x28 (CxHxW)</c>.</summary>
    public string Describe() => ChannelsLast
        ? $"{Text(Height)}x{Text(Width)}x{Text(Channels)} (HxWxC)"
        : $"{Text(Channels)}x{Text(Height)}x{Text(Width)} (CxHxW)";

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "any";

    private static int? Number(string dimension) =>
        int.TryParse(dimension, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
