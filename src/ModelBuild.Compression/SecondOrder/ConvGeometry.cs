namespace ModelBuild.Compression.SecondOrder;

/// <summary>A 2-D Conv's kernel, strides, dilations and begin paddings: what im2col needs to cut its input into patches.</summary>
internal sealed record ConvGeometry(int InputChannelsPerGroup, int KernelHeight, int KernelWidth, int StrideY, int StrideX,
    int DilationY, int DilationX, int PadTop, int PadLeft, int PadBottom, int PadRight)
{
    public int OutputSize(int input, int kernel, int stride, int dilation, int padBegin, int padEnd) =>
        ((input + padBegin + padEnd - (dilation * (kernel - 1)) - 1) / stride) + 1;
}
