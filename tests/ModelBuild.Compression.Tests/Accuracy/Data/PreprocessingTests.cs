using ModelBuild.Compression.Data;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Accuracy.Data;

public sealed class PreprocessingTests
{
    [Fact]
    public void Bilinear_resize_uses_half_pixel_centers_and_clamps_at_the_edges()
    {
        var image = new DecodedImage(2, 1, 1, [0, 255]);

        var resized = BilinearResizer.Resize(image, 4, 1);

        // Output centers map to source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        Assert.Equal([0, 64, 191, 255], resized.Pixels);
    }

    [Fact]
    public void Resizing_to_a_height_keeps_the_aspect_ratio_rounding_the_width_up()
    {
        var image = new DecodedImage(10, 4, 1, new byte[40]);

        var tensor = new Preprocessing { Color = ImageColor.Grey, ResizeHeight = 2 }.Apply(image);

        Assert.Equal([1L, 1, 2, 5], tensor.Shape);
    }

    [Fact]
    public void Center_crop_bgr_and_per_channel_normalization_write_nchw()
    {
        // 3x3 RGB image; the center pixel (1,1) is (90, 120, 150).
        var pixels = new byte[27];
        pixels[12] = 90;
        pixels[13] = 120;
        pixels[14] = 150;
        var preprocessing = new Preprocessing
        {
            Color = ImageColor.Bgr,
            CenterCrop = (1, 1),
            Scale = 1f / 100f,
            Mean = [0.5f, 0.25f, 0f],
            Std = [2f, 1f, 0.5f],
        };

        var tensor = preprocessing.Apply(new DecodedImage(3, 3, 3, pixels));

        Assert.Equal([1L, 3, 1, 1], tensor.Shape);
        Assert.Equal([(1.5f - 0.5f) / 2f, (1.2f - 0.25f) / 1f, (0.9f - 0f) / 0.5f], tensor.Values, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void The_default_scale_is_x_over_255_to_the_bit_for_every_byte()
    {
        var image = new DecodedImage(256, 1, 1, Enumerable.Range(0, 256).Select(p => (byte)p).ToArray());

        var tensor = new Preprocessing { Color = ImageColor.Grey }.Apply(image);

        // Multiplying by the float nearest 1/255 is off in the last bit for some bytes: the division is what is asked.
        Assert.Contains(Enumerable.Range(0, 256), p => p * (1f / 255f) != p / 255f);
        Assert.Equal(Enumerable.Range(0, 256).Select(p => BitConverter.SingleToInt32Bits(p / 255f)), tensor.Values.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_scale_given_as_one_over_n_divides_by_n()
    {
        var image = new DecodedImage(256, 1, 1, Enumerable.Range(0, 256).Select(p => (byte)p).ToArray());
        var spec = ModelBuild.Compression.Datasets.PreprocessingSpec.Parse("channels=grey;scale=1/127.5",
            new ModelBuild.Compression.Datasets.ModelInputLayout("x", 1, 1, 256, false, null), "m.onnx");

        var tensor = spec.Image.Apply(image);

        Assert.Equal(127.5f, spec.Image.ScaleDivisor);
        Assert.Equal(Enumerable.Range(0, 256).Select(p => BitConverter.SingleToInt32Bits(p / 127.5f)), tensor.Values.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Center_crop_offsets_round_half_to_even_as_torchvision()
    {
        // A 5-wide row cropped to 2: offset (5 - 2) / 2 = 1.5 rounds to 2, so columns 2 and 3 remain.
        var image = new DecodedImage(5, 1, 1, [10, 20, 30, 40, 50]);

        var tensor = new Preprocessing { Color = ImageColor.Grey, CenterCrop = (2, 1), Scale = 1f }.Apply(image);

        Assert.Equal([30f, 40f], tensor.Values);
    }

    [Fact]
    public void A_crop_larger_than_the_image_is_refused()
    {
        var image = new DecodedImage(2, 2, 1, new byte[4]);

        var error = Assert.Throws<ArgumentException>(() => new Preprocessing { Color = ImageColor.Grey, CenterCrop = (3, 3) }.Apply(image));

        Assert.Contains("3x3 is larger than the 2x2 image", error.Message);
    }

    [Fact]
    public void Mean_with_the_wrong_number_of_channels_is_refused()
    {
        var image = new DecodedImage(1, 1, 3, new byte[3]);

        var error = Assert.Throws<ArgumentException>(() => new Preprocessing { Mean = [0.1f, 0.2f] }.Apply(image));

        Assert.Contains("Mean needs 1 or 3 values, found 2", error.Message);
    }

    [ZooFact]
    public void Decodes_a_zoo_jpeg_to_32_by_32_rgb()
    {
        var image = ImageDecoder.Decode(Zoo.PathOf("cifar10", "test-2000", "airplane", "0000.jpg"), ImageColor.Rgb);

        Assert.Equal((32, 32, 3), (image.Width, image.Height, image.Channels));
        Assert.Equal(32 * 32 * 3, image.Pixels.Length);
        Assert.Contains(image.Pixels, value => value != image.Pixels[0]);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}
