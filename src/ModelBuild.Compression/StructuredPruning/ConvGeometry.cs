using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.StructuredPruning;

/// <summary>A 2-D Conv's kernel, strides, dilations, leading pads and output size for an input of a given shape (ONNX Conv, auto_pad included).</summary>
internal sealed record ConvGeometry(int KernelHeight, int KernelWidth, int StrideY, int StrideX, int DilationY, int DilationX, int PadTop, int PadLeft, int OutputHeight, int OutputWidth)
{
    /// <param name="conv">The Conv node.</param>
    /// <param name="inputShape">Its input's shape [N, C, H, W].</param>
    /// <param name="kernel">Kernel positions (height x width), from its weight.</param>
    public static ConvGeometry Of(NodeProto conv, long[] inputShape, int kernel)
    {
        var kernelShape = GraphEditor.Attribute(conv, "kernel_shape")?.Ints.Select(i => (int)i).ToArray();
        var kernelHeight = kernelShape is { Length: 2 } ? kernelShape[0] : (int)Math.Sqrt(kernel);
        var kernelWidth = kernelShape is { Length: 2 } ? kernelShape[1] : kernel / kernelHeight;
        var strides = Pair(conv, "strides");
        var dilations = Pair(conv, "dilations");
        var pads = GraphEditor.Attribute(conv, "pads")?.Ints.Select(i => (int)i).ToArray() ?? [0, 0, 0, 0];
        var autoPad = GraphEditor.Attribute(conv, "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        var (top, outHeight) = Axis((int)inputShape[2], kernelHeight, strides.Item1, dilations.Item1, pads[0], pads[2], autoPad);
        var (left, outWidth) = Axis((int)inputShape[3], kernelWidth, strides.Item2, dilations.Item2, pads[1], pads[3], autoPad);
        return new ConvGeometry(kernelHeight, kernelWidth, strides.Item1, strides.Item2, dilations.Item1, dilations.Item2, top, left, outHeight, outWidth);
    }

    private static (int, int) Pair(NodeProto conv, string name) =>
        GraphEditor.Attribute(conv, name)?.Ints is { Count: 2 } values ? ((int)values[0], (int)values[1]) : (1, 1);

    private static (int Before, int Output) Axis(int size, int kernel, int stride, int dilation, int before, int after, string autoPad)
    {
        var span = ((kernel - 1) * dilation) + 1;
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            var output = (size + stride - 1) / stride;
            var total = Math.Max(0, ((output - 1) * stride) + span - size);
            return (autoPad == "SAME_UPPER" ? total / 2 : total - (total / 2), output);
        }
        if (autoPad == "VALID") (before, after) = (0, 0);
        return (before, ((size + before + after - span) / stride) + 1);
    }
}
