namespace ModelBuild.Compression.Data;

/// <summary>
/// Bilinear resizing with half-pixel centers and edge clamping, rounding back to bytes: the behaviour of OpenCV's
/// <c>INTER_LINEAR</c> (no anti-aliasing), which the PP-OCR and most published preprocessing pipelines use.
/// </summary>
public static class BilinearResizer
{
    public static DecodedImage Resize(DecodedImage image, int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"resize target must be positive, found {width}x{height}");
        if (width == image.Width && height == image.Height)
            return image;

        var channels = image.Channels;
        var pixels = new byte[width * height * channels];
        var (x0, x1, xWeight) = SourceTaps(image.Width, width);
        var (y0, y1, yWeight) = SourceTaps(image.Height, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var top = Lerp(image[y0[y], x0[x], c], image[y0[y], x1[x], c], xWeight[x]);
                    var bottom = Lerp(image[y1[y], x0[x], c], image[y1[y], x1[x], c], xWeight[x]);
                    pixels[((y * width) + x) * channels + c] = (byte)Math.Clamp(MathF.Round(Lerp(top, bottom, yWeight[y])), 0f, 255f);
                }
            }
        }
        return new DecodedImage(width, height, channels, pixels);
    }

    private static float Lerp(float a, float b, float weight) => a + ((b - a) * weight);

    // For each output coordinate: the two source coordinates around its center and the weight of the second.
    private static (int[] Low, int[] High, float[] Weight) SourceTaps(int sourceSize, int targetSize)
    {
        var low = new int[targetSize];
        var high = new int[targetSize];
        var weight = new float[targetSize];
        var scale = (double)sourceSize / targetSize;
        for (var i = 0; i < targetSize; i++)
        {
            var source = Math.Max(0, ((i + 0.5) * scale) - 0.5);
            low[i] = Math.Min((int)source, sourceSize - 1);
            high[i] = Math.Min(low[i] + 1, sourceSize - 1);
            weight[i] = (float)(source - low[i]);
        }
        return (low, high, weight);
    }
}
