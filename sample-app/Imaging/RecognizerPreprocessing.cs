using SkiaSharp;

namespace SampleApp.Imaging;

/// <summary>
/// PP-OCRv4 recognizer input: BGR, height 48 keeping the aspect ratio, (x/255 - 0.5)/0.5, NCHW float32.
/// </summary>
public static class RecognizerPreprocessing
{
    public const int Height = 48;

    /// <summary>
    /// Short words are padded to PaddleOCR's training width: on the zoo's word crops this gets more words right
    /// than padding only to the next multiple of <see cref="WidthStep"/>.
    /// </summary>
    public const int MinWidth = 320;

    /// <summary>Longer words are padded to a multiple of this, so similar words share input shapes.</summary>
    public const int WidthStep = 8;

    /// <summary>Wider crops are squeezed to this width.</summary>
    public const int MaxWidth = 960;

    /// <summary>The tensor data of shape [1, 3, 48, width] and its width.</summary>
    public static (float[] Pixels, int Width) ToTensor(SKBitmap image)
    {
        var scaledWidth = Math.Clamp((int)MathF.Ceiling(image.Width * (float)Height / image.Height), 1, MaxWidth);
        var width = Math.Clamp(RoundUp(scaledWidth, WidthStep), MinWidth, MaxWidth);

        using var scaled = new SKBitmap(scaledWidth, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(scaled))
        {
            // White under transparent PNG pixels, as on paper.
            canvas.Clear(SKColors.White);
            using var source = SKImage.FromBitmap(image);
            canvas.DrawImage(source, new SKRect(0, 0, scaledWidth, Height),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        // Columns right of the scaled word stay 0, the normalized mid-gray PaddleOCR pads with.
        var pixels = new float[3 * Height * width];
        var rgba = scaled.GetPixelSpan();
        var plane = Height * width;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < scaledWidth; x++)
            {
                var source = y * scaled.RowBytes + x * 4;
                var target = y * width + x;
                pixels[target] = Normalize(rgba[source + 2]);
                pixels[plane + target] = Normalize(rgba[source + 1]);
                pixels[2 * plane + target] = Normalize(rgba[source]);
            }
        }
        return (pixels, width);
    }

    private static float Normalize(byte value) => (value / 255f - 0.5f) / 0.5f;

    private static int RoundUp(int value, int step) => (value + step - 1) / step * step;
}
