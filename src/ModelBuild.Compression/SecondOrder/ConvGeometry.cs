namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// A 2-D Conv's kernel, strides, dilations and paddings: what im2col needs to cut its input into patches. With
/// <see cref="AutoPad"/> SAME_UPPER / SAME_LOWER the paddings follow from the input size (<see cref="Pads"/>).
/// </summary>
internal sealed record ConvGeometry(int InputChannelsPerGroup, int KernelHeight, int KernelWidth, int StrideY, int StrideX,
    int DilationY, int DilationX, int PadTop, int PadLeft, int PadBottom, int PadRight, string AutoPad)
{
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
