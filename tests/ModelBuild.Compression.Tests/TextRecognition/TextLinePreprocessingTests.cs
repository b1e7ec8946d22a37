using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.TextRecognition;

/// <summary><c>resize=xH</c> (height, keeping the aspect ratio) and <c>pad=W</c> for text lines of any width.</summary>
public sealed class TextLinePreprocessingTests
{
    private static readonly ModelInputLayout Layout = ModelInputLayout.Of(TextRecognizerModels.Recognizer());

    [Fact]
    public void Resize_to_a_height_keeps_the_aspect_ratio_and_pad_fills_the_right_with_zeros_after_normalization()
    {
        var preprocessing = PreprocessingSpec.Parse("resize=x4;pad=12;mean=0.5;std=0.5", Layout, "model.onnx").Image;
        // All white. 6 x 2 becomes 12 x 4 keeping the ratio, so needs no padding; 2 x 2 becomes 4 x 4, padded to 12.
        var wide = preprocessing.Apply(new DecodedImage(6, 2, 1, Enumerable.Repeat((byte)255, 12).ToArray()));
        var narrow = preprocessing.Apply(new DecodedImage(2, 2, 1, Enumerable.Repeat((byte)255, 4).ToArray()));

        Assert.Equal([1L, 1, 4, 12], wide.Shape);
        Assert.All(wide.Values, v => Assert.Equal(1f, v));
        Assert.Equal([1L, 1, 4, 12], narrow.Shape);
        for (var y = 0; y < 4; y++)
        {
            Assert.All(narrow.Values.AsSpan(y * 12, 4).ToArray(), v => Assert.Equal(1f, v));
            Assert.All(narrow.Values.AsSpan((y * 12) + 4, 8).ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void A_wider_image_than_pad_is_kept_as_it_is()
    {
        var preprocessing = PreprocessingSpec.Parse("resize=x2;pad=3", Layout, "model.onnx").Image;

        var tensor = preprocessing.Apply(new DecodedImage(10, 2, 1, new byte[20]));

        Assert.Equal([1L, 1, 2, 10], tensor.Shape);
    }

    [Theory]
    [InlineData("resize=x")]
    [InlineData("resize=x0")]
    [InlineData("pad=wide")]
    [InlineData("pad=-3")]
    public void Malformed_height_or_pad_is_MB1015_listing_the_forms(string text)
    {
        var error = Assert.Throws<CompressionException>(() => PreprocessingSpec.Parse(text, Layout, "model.onnx"));

        Assert.Equal(DiagnosticCodes.MalformedOption, error.Code);
        Assert.Contains("resize=xH (height H, width keeping the aspect ratio)", error.Message);
        Assert.Contains("pad=W", error.Message);
    }
}
