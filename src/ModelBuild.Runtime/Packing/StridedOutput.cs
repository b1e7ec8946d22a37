namespace ModelBuild.Runtime.Packing;

/// <summary>The one bounds check of a stream decoder's loop, which then writes through an unchecked reference.</summary>
internal static class StridedOutput
{
    /// <summary>Every <paramref name="stride"/>-th byte from <paramref name="first"/>, <paramref name="count"/> of them, lies within <paramref name="output"/>.</summary>
    public static void Require(Span<byte> output, int first, int stride, int count)
    {
        if (first < 0 || stride < 1 || count < 0 || (count > 0 && first + (long)(count - 1) * stride >= output.Length))
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} symbols every {stride} bytes from byte {first} do not fit {output.Length} bytes");
    }
}
