using SkiaSharp;

namespace SampleApp.Imaging;

/// <summary>Renders a word the way a scanner would crop it from a page: black text on white, a small margin.</summary>
public sealed class WordRenderer : IDisposable
{
    private readonly SKTypeface _typeface;

    /// <param name="fontFile">The bytes of a TrueType font file.</param>
    public WordRenderer(byte[] fontFile)
    {
        using var data = SKData.CreateCopy(fontFile);
        _typeface = SKTypeface.FromData(data)
            ?? throw new InvalidDataException($"Expected a TrueType font; found {fontFile.Length} bytes SkiaSharp cannot read as one.");
    }

    /// <summary>A tight crop around the word, <paramref name="fontSize"/> pixels per em.</summary>
    public SKBitmap Render(string word, float fontSize)
    {
        using var font = new SKFont(_typeface, fontSize);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        font.MeasureText(word, out var inkBounds, paint);

        // Crops from a text detector keep a few pixels of background around the ink.
        var margin = (int)MathF.Ceiling(fontSize * 0.15f);
        var width = (int)MathF.Ceiling(inkBounds.Width) + 2 * margin;
        var height = (int)MathF.Ceiling(inkBounds.Height) + 2 * margin;

        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        canvas.DrawText(word, margin - inkBounds.Left, margin - inkBounds.Top, SKTextAlign.Left, font, paint);
        return bitmap;
    }

    public void Dispose() => _typeface.Dispose();
}
