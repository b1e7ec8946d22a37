using SkiaSharp;

namespace SampleApp.WordImages;

/// <summary>
/// Renders a word the way a text detector crops it from a photograph: printed in one of several fonts on a colored,
/// shaded or textured background, light on dark 40% of the time, slightly rotated, sheared and seen at an angle,
/// with parts of the lines above and below, then small (14 to 64 pixels high), blurred, noisy and saved as a JPEG. Every choice comes from the <see cref="Random"/> passed in, so a seed gives the same images every build.
/// </summary>
public sealed class PhotographedWordRenderer(IReadOnlyList<SKTypeface> typefaces)
{
    // Text is drawn this large and the crop scaled down once, as a camera sees a sign from afar.
    private const float FontSize = 64;

    /// <summary>The crop of <paramref name="word"/>, with <paramref name="neighbor"/> as the text of nearby lines.</summary>
    public SKBitmap Render(string word, Func<string> neighbor, Random random)
    {
        using var font = new SKFont(typefaces[random.Next(typefaces.Count)], FontSize) { Edging = SKFontEdging.Antialias };
        using var textPaint = new SKPaint { IsAntialias = true };
        font.MeasureText(word, out var ink, textPaint);

        // A canvas with room around the word for the neighbors and the transform.
        var size = new SKSizeI((int)(ink.Width + 4 * FontSize), (int)(ink.Height + 4 * FontSize));
        var origin = new SKPoint((size.Width - ink.Width) / 2 - ink.Left, (size.Height - ink.Height) / 2 - ink.Top);
        using var scene = new SKBitmap(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var canvas = new SKCanvas(scene);

        var (background, text) = Colors(random);
        PaintBackground(canvas, size, background, random);

        var transform = Transform(new SKPoint(size.Width / 2f, size.Height / 2f), random);
        canvas.SetMatrix(transform);
        textPaint.Color = text;
        var shadow = random.NextDouble() < 0.2;
        var strokeWidth = random.NextDouble() < 0.2 ? (float)(random.NextDouble() * 2.5) : 0;
        var lineHeight = ink.Height * (float)(1.15 + 0.35 * random.NextDouble());
        foreach (var offset in new[] { -lineHeight, lineHeight })
        {
            // Sign text in several lines: detector crops often cut into the line above or below.
            if (random.NextDouble() < 0.5)
                DrawText(canvas, neighbor(), origin.X + (float)(random.NextDouble() - 0.5) * FontSize, origin.Y + offset, font, textPaint, shadow, strokeWidth);
        }
        DrawText(canvas, word, origin.X, origin.Y, font, textPaint, shadow, strokeWidth);
        canvas.ResetMatrix();

        // The detector's box: the word's transformed bounds plus an uneven margin.
        var box = transform.MapRect(new SKRect(origin.X + ink.Left, origin.Y + ink.Top, origin.X + ink.Right, origin.Y + ink.Bottom));
        var h = box.Height;
        box = new SKRect(
            box.Left - h * Between(random, 0, 0.25f), box.Top - h * Between(random, 0.02f, 0.4f),
            box.Right + h * Between(random, 0, 0.25f), box.Bottom + h * Between(random, 0.02f, 0.4f));
        box.Intersect(new SKRect(0, 0, size.Width, size.Height));

        // Mostly small and far away, sometimes close.
        var height = random.NextDouble() < 0.8 ? random.Next(14, 33) : random.Next(33, 65);
        var width = Math.Max(1, (int)MathF.Round(box.Width * height / box.Height));
        var crop = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var cropCanvas = new SKCanvas(crop))
        using (var image = SKImage.FromBitmap(scene))
        using (var blur = new SKPaint())
        {
            var sigma = random.NextDouble() < 0.6 ? (float)(random.NextDouble() * 0.9) : 0;
            if (sigma > 0.05f)
                blur.ImageFilter = SKImageFilter.CreateBlur(sigma * box.Height / height, sigma * box.Height / height);
            cropCanvas.DrawImage(image, box, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), blur);
        }
        AddNoise(crop, Between(random, 0, 8), random);
        return AsJpeg(crop, random.Next(30, 96));
    }

    private static void DrawText(SKCanvas canvas, string text, float x, float y, SKFont font, SKPaint paint, bool shadow, float strokeWidth)
    {
        if (shadow)
        {
            // A drop shadow (or glow) of the opposite brightness, as on painted signs.
            using var shadowPaint = new SKPaint { IsAntialias = true, Color = Luminance(paint.Color) > 128 ? new SKColor(20, 20, 20) : new SKColor(235, 235, 235) };
            canvas.DrawText(text, x + FontSize * 0.05f, y + FontSize * 0.05f, SKTextAlign.Left, font, shadowPaint);
        }
        if (strokeWidth > 0)
        {
            // Heavier strokes: a bold sign face in any font.
            using var stroke = new SKPaint { IsAntialias = true, Color = paint.Color, Style = SKPaintStyle.Stroke, StrokeWidth = strokeWidth };
            canvas.DrawText(text, x, y, SKTextAlign.Left, font, stroke);
        }
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }

    /// <summary>A background and a text color at least a little apart in brightness, light text on dark 40% of the time.</summary>
    private static (SKColor Background, SKColor Text) Colors(Random random)
    {
        var lightText = random.NextDouble() < 0.4;
        var contrast = Between(random, 35, 85);
        var backgroundValue = lightText ? Between(random, 5, 100 - contrast) : Between(random, contrast, 100);
        var textValue = lightText ? backgroundValue + contrast : backgroundValue - contrast;
        var background = SKColor.FromHsv(Between(random, 0, 360), Between(random, 0, 70), backgroundValue);
        var text = SKColor.FromHsv(Between(random, 0, 360), Between(random, 0, 60), Math.Clamp(textValue, 0, 100));
        return (background, text);
    }

    private static void PaintBackground(SKCanvas canvas, SKSizeI size, SKColor color, Random random)
    {
        canvas.Clear(color);
        var kind = random.NextDouble();
        using var paint = new SKPaint { IsAntialias = true };
        if (kind < 0.35)
        {
            // Uneven light: a gradient from the color to a darker or lighter one across the crop.
            color.ToHsv(out var hue, out var saturation, out var value);
            var other = SKColor.FromHsv(hue, saturation, Math.Clamp(value + Between(random, -30, 30), 0, 100));
            var angle = Between(random, 0, MathF.Tau);
            var center = new SKPoint(size.Width / 2f, size.Height / 2f);
            var reach = new SKPoint(MathF.Cos(angle) * size.Width / 2, MathF.Sin(angle) * size.Height / 2);
            paint.Shader = SKShader.CreateLinearGradient(center - reach, center + reach, [color, other], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, size.Width, size.Height, paint);
        }
        else if (kind < 0.7)
        {
            // Texture (wood, stone, painted metal): fractal noise laid softly over the color.
            paint.Shader = SKShader.CreatePerlinNoiseFractalNoise(Between(random, 0.005f, 0.08f), Between(random, 0.005f, 0.08f), 3, random.Next(1000));
            paint.BlendMode = SKBlendMode.Overlay;
            paint.Color = SKColors.White.WithAlpha((byte)random.Next(60, 200));
            canvas.DrawRect(0, 0, size.Width, size.Height, paint);
        }
        if (random.NextDouble() < 0.3)
        {
            // An edge of the sign or a stripe crossing behind the text.
            using var stripe = new SKPaint { IsAntialias = true, Color = SKColor.FromHsv(Between(random, 0, 360), Between(random, 0, 70), Between(random, 10, 95)) };
            var y = Between(random, 0, size.Height);
            canvas.DrawRect(0, y, size.Width, Between(random, 4, FontSize), stripe);
        }
    }

    /// <summary>Rotation up to 6 degrees, italic-like shear, and a little perspective, about <paramref name="center"/>.</summary>
    private static SKMatrix Transform(SKPoint center, Random random)
    {
        var rotation = SKMatrix.CreateRotationDegrees(Between(random, -6, 6));
        var shear = SKMatrix.CreateSkew(random.NextDouble() < 0.3 ? Between(random, -0.3f, 0.1f) : 0, 0);
        var perspective = new SKMatrix(1, 0, 0, 0, 1, 0, Between(random, -0.0008f, 0.0008f), Between(random, -0.0008f, 0.0008f), 1);
        return SKMatrix.CreateTranslation(center.X, center.Y)
            .PreConcat(rotation).PreConcat(shear).PreConcat(perspective)
            .PreConcat(SKMatrix.CreateTranslation(-center.X, -center.Y));
    }

    /// <summary>Sensor noise: the same Gaussian offset on the three channels of a pixel.</summary>
    private static void AddNoise(SKBitmap bitmap, float sigma, Random random)
    {
        if (sigma < 0.5f)
            return;
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            // Box-Muller.
            var noise = sigma * MathF.Sqrt(-2 * MathF.Log(1 - random.NextSingle())) * MathF.Cos(MathF.Tau * random.NextSingle());
            for (var channel = 0; channel < 3; channel++)
                pixels[i + channel] = (byte)Math.Clamp(pixels[i + channel] + noise, 0, 255);
        }
    }

    private static SKBitmap AsJpeg(SKBitmap bitmap, int quality)
    {
        using (bitmap)
        using (var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality))
            return SKBitmap.Decode(jpeg);
    }

    private static float Luminance(SKColor color) => 0.299f * color.Red + 0.587f * color.Green + 0.114f * color.Blue;

    private static float Between(Random random, float low, float high) => low + (high - low) * random.NextSingle();
}
