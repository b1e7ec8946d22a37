using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;

namespace ModelBuild.Compression.Tests.Datasets;

public sealed class PreprocessingSpecTests
{
    private static readonly ModelInputLayout Grey = new("x", 1, 28, 28, false, 10);
    private static readonly ModelInputLayout Colour = new("x", 3, 32, 32, false, 10);

    [Fact]
    public void Defaults_follow_the_models_input()
    {
        var grey = PreprocessingSpec.Parse(null, Grey, "m.onnx");
        var colour = PreprocessingSpec.Parse("", Colour with { ChannelsLast = true }, "m.onnx");

        Assert.Equal(ImageColor.Grey, grey.Image.Color);
        Assert.Equal(1f / 255f, grey.Image.Scale);
        Assert.Null(grey.Image.ResizeWidth);
        Assert.False(grey.ChannelsLast);
        Assert.Equal(ImageColor.Rgb, colour.Image.Color);
        Assert.True(colour.ChannelsLast);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var spec = PreprocessingSpec.Parse("resize=40x36; crop=32 ;channels=BGR;layout=nhwc;scale=1/127.5;mean=0.4914,0.4822,0.4465;std=0.5", Colour, "m.onnx");

        Assert.Equal((40, 36), (spec.Image.ResizeWidth!.Value, spec.Image.ResizeHeight!.Value));
        Assert.Equal((32, 32), spec.Image.CenterCrop);
        Assert.Equal(ImageColor.Bgr, spec.Image.Color);
        Assert.True(spec.ChannelsLast);
        Assert.Equal(1f / 127.5f, spec.Image.Scale);
        Assert.Equal([0.4914f, 0.4822f, 0.4465f], spec.Image.Mean);
        Assert.Equal([0.5f], spec.Image.Std);
    }

    [Theory]
    [InlineData("resize=big")]
    [InlineData("crop=0")]
    [InlineData("channels=cmyk")]
    [InlineData("layout=chw")]
    [InlineData("scale=-1")]
    [InlineData("std=0")]
    [InlineData("gamma=2")]
    [InlineData("mean=0.1,0.2")]
    public void Malformed_strings_are_MB1015_listing_the_allowed_forms(string text)
    {
        var error = Assert.Throws<CompressionException>(() => PreprocessingSpec.Parse(text, Colour, "m.onnx"));

        Assert.Equal("MB1015", error.Code);
        Assert.True(error.IsCommandLineProblem);
        Assert.Equal("m.onnx", error.Origin);
        Assert.Contains(text.Split('=')[0], error.Message);
    }
}
