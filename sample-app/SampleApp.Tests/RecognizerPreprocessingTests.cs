using SampleApp.Imaging;
using SkiaSharp;

namespace SampleApp.Tests;

public sealed class RecognizerPreprocessingTests
{
    [Theory]
    [InlineData(40, 20, 320)]    // scaled to 96 wide, padded to the minimum
    [InlineData(300, 24, 600)]   // scaled to 600, already a multiple of 8
    [InlineData(301, 24, 608)]   // scaled to 602, rounded up to a multiple of 8
    [InlineData(2000, 20, 960)]  // scaled to 4800, squeezed to the maximum
    public void Height_is_48_and_width_follows_the_aspect_ratio(int width, int height, int expectedWidth)
    {
        using var image = Filled(width, height, SKColors.White);
        var (pixels, tensorWidth) = RecognizerPreprocessing.ToTensor(image);
        Assert.Equal(expectedWidth, tensorWidth);
        Assert.Equal(3 * 48 * expectedWidth, pixels.Length);
    }

    [Fact]
    public void Channels_are_blue_green_red_scaled_to_minus_one_to_one()
    {
        using var image = Filled(48, 48, new SKColor(255, 0, 0));
        var (pixels, width) = RecognizerPreprocessing.ToTensor(image);
        var plane = 48 * width;
        var middle = 24 * width + 24;
        Assert.Equal(-1f, pixels[middle], 3);             // blue
        Assert.Equal(-1f, pixels[plane + middle], 3);     // green
        Assert.Equal(1f, pixels[2 * plane + middle], 3);  // red
    }

    [Fact]
    public void Padding_right_of_the_word_is_zero_and_the_word_is_not()
    {
        using var image = Filled(48, 48, SKColors.White);
        var (pixels, width) = RecognizerPreprocessing.ToTensor(image);
        var row = 24 * width;
        Assert.Equal(1f, pixels[row + 10], 3);
        Assert.Equal(0f, pixels[row + 100]);
        Assert.Equal(0f, pixels[row + width - 1]);
    }

    [Fact]
    public void Transparent_pixels_read_as_white_paper()
    {
        using var image = Filled(48, 48, SKColors.Transparent);
        var (pixels, _) = RecognizerPreprocessing.ToTensor(image);
        Assert.Equal(1f, pixels[0], 3);
    }

    private static SKBitmap Filled(int width, int height, SKColor color)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        bitmap.Erase(color);
        return bitmap;
    }
}
