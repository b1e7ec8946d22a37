using ModelBuild.Compression.Graphs;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// A 2-D Conv's kernel, strides, dilations and paddings: what im2col needs to cut its input into patches. With
/// <see cref="AutoPad"/> SAME_UPPER / SAME_LOWER the paddings follow from the input size (<see cref="Pads"/>).
/// </summary>
internal sealed record ConvGeometry(int InputChannelsPerGroup, int KernelHeight, int KernelWidth, int StrideY, int StrideX,
    int DilationY, int DilationX, int PadTop, int PadLeft, int PadBottom, int PadRight, string AutoPad)
{
    /// <summary>The geometry of a 2-D Conv with a 4-D weight, or null when its attributes are not ones im2col handles.</summary>
    public static ConvGeometry? Of(NodeProto node, TensorProto weight)
    {
        if (weight.Dims.Count != 4) return null;
        var autoPad = GraphEditor.Attribute(node, "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER" or "")) return null;
        var strides = Ints(node, "strides", 2, 1);
        var dilations = Ints(node, "dilations", 2, 1);
        var pads = autoPad is "NOTSET" or "" ? Ints(node, "pads", 4, 0) : [0, 0, 0, 0];
        if (strides is null || dilations is null || pads is null) return null;
        return new ConvGeometry(checked((int)weight.Dims[1]), checked((int)weight.Dims[2]), checked((int)weight.Dims[3]),
            strides[0], strides[1], dilations[0], dilations[1], pads[0], pads[1], pads[2], pads[3], autoPad);
    }

    /// <summary>The attribute's ints, <paramref name="count"/> of them (the default when absent), or null when it has another count.</summary>
    private static int[]? Ints(NodeProto node, string name, int count, int fallback)
    {
        var attribute = GraphEditor.Attribute(node, name);
        if (attribute is null || attribute.Ints.Count == 0) return Enumerable.Repeat(fallback, count).ToArray();
        return attribute.Ints.Count == count ? attribute.Ints.Select(i => checked((int)i)).ToArray() : null;
    }

    /// <summary>Begin and end paddings of each spatial axis for an input of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public (int Top, int Left, int Bottom, int Right) Pads(int height, int width)
    {
        if (AutoPad is not ("SAME_UPPER" or "SAME_LOWER"))
            return (PadTop, PadLeft, PadBottom, PadRight);
        var (top, bottom) = Same(height, KernelHeight, StrideY, DilationY);
        var (left, right) = Same(width, KernelWidth, StrideX, DilationX);
        return (top, left, bottom, right);
    }

    public static int OutputSize(int input, int kernel, int stride, int dilation, int padBegin, int padEnd) =>
        ((input + padBegin + padEnd - (dilation * (kernel - 1)) - 1) / stride) + 1;

    // ONNX: output = ceil(input / stride); the total padding is split evenly, the odd one at the end (SAME_UPPER) or the beginning.
    private (int Begin, int End) Same(int input, int kernel, int stride, int dilation)
    {
        var output = (input + stride - 1) / stride;
        var total = Math.Max(0, ((output - 1) * stride) + ((kernel - 1) * dilation) + 1 - input);
        var small = total / 2;
        return AutoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
    }
}
