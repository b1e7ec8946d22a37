using ModelBuild.Compression.Data;
using ModelBuild.Compression.Reconstruction;

namespace ModelBuild.Compression.Tests.Reconstruction;

public sealed class AugmentedInputsTests
{
    [Fact]
    public void Each_image_gets_a_mirrored_a_shifted_and_a_mirrored_shifted_copy_after_the_originals()
    {
        var images = Enumerable.Range(0, 4).Select(i => Image(2, 8, 9, seed: i)).ToList();

        var expanded = AugmentedInputs.Expand(images, 3, seed: 1);

        Assert.Equal(16, expanded.Count);
        Assert.Equal(images, expanded.Take(4));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Mirrored(images[i]), expanded[4 + i].Values);
            Assert.Equal(images[i].Shape, expanded[8 + i].Shape);
            Assert.True(IsShiftOf(images[i], expanded[8 + i], mirror: false), $"copy 2 of image {i} is not a shift of it");
            Assert.True(IsShiftOf(images[i], expanded[12 + i], mirror: true), $"copy 3 of image {i} is not a mirrored shift of it");
        }
    }

    [Fact]
    public void Inputs_that_are_not_images_of_at_least_8_by_8_are_not_copied()
    {
        var inputs = new List<ImageTensor> { new([1, 2, 3], [1, 3]), Image(1, 7, 30, seed: 1), Image(1, 8, 8, seed: 2) };

        var expanded = AugmentedInputs.Expand(inputs, 2, seed: 1);

        Assert.Equal(5, expanded.Count);
        Assert.All(expanded.Skip(3), copy => Assert.Equal(new long[] { 1, 1, 8, 8 }, copy.Shape));
    }

    private static ImageTensor Image(int channels, int height, int width, int seed)
    {
        var random = new Random(seed);
        return new ImageTensor(Enumerable.Range(0, channels * height * width).Select(_ => random.NextSingle() + 0.5f).ToArray(), [1, channels, height, width]);
    }

    private static float[] Mirrored(ImageTensor image)
    {
        int height = (int)image.Shape[2], width = (int)image.Shape[3];
        return image.Values.Select((_, i) => image.Values[(i / width * width) + (width - 1 - (i % width))]).ToArray();
    }

    // Some shift of at most MaxShift either way, the uncovered pixels zero (the originals are never zero).
    private static bool IsShiftOf(ImageTensor image, ImageTensor copy, bool mirror)
    {
        var source = mirror ? new ImageTensor(Mirrored(image), image.Shape) : image;
        int channels = (int)image.Shape[1], height = (int)image.Shape[2], width = (int)image.Shape[3];
        for (var dy = -AugmentedInputs.MaxShift; dy <= AugmentedInputs.MaxShift; dy++)
        {
            for (var dx = -AugmentedInputs.MaxShift; dx <= AugmentedInputs.MaxShift; dx++)
            {
                var matches = true;
                for (var c = 0; c < channels && matches; c++)
                    for (var y = 0; y < height && matches; y++)
                        for (var x = 0; x < width && matches; x++)
                        {
                            int sy = y - dy, sx = x - dx;
                            var expected = sy >= 0 && sy < height && sx >= 0 && sx < width ? source.Values[(((c * height) + sy) * width) + sx] : 0f;
                            matches = copy.Values[(((c * height) + y) * width) + x] == expected;
                        }
                if (matches) return true;
            }
        }
        return false;
    }
}
