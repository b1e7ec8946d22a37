namespace ModelBuild.Compression.Data;

/// <summary>
/// 8-bit pixels, row after row, channels interleaved (height x width x channels). Three channels are in RGB order;
/// one channel is grey.
/// </summary>
public sealed record DecodedImage(int Width, int Height, int Channels, byte[] Pixels)
{
    public byte this[int y, int x, int channel] => Pixels[((y * Width) + x) * Channels + channel];
}
