using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// More inputs for block reconstruction from few calibration images: each image mirrored left to right and shifted
/// by a few pixels (the gap filled with zeros, the normalized mean). The original model is the teacher on these as on
/// the others, so no label is needed; a few hundred images alone let a narrowed block fit them rather than the
/// original's function (data-limited distillation augments for the same reason).
/// </summary>
internal static class AugmentedInputs
{
    /// <summary>The largest shift, in pixels, either way.</summary>
    public const int MaxShift = 2;

    /// <summary>
    /// <paramref name="inputs"/> followed by <paramref name="copies"/> changed copies of each ([1, C, H, W] inputs of at
    /// least 8 x 8; others are not copied): mirrored, shifted, both, then again with other shifts.
    /// </summary>
    public static List<ImageTensor> Expand(IReadOnlyList<ImageTensor> inputs, int copies, int seed)
    {
        var result = new List<ImageTensor>(inputs);
        var random = new Random(seed);
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var input in inputs)
            {
                if (input.Shape is not [1, _, >= 8, >= 8]) continue;
                var mirror = copy % 3 != 1;
                var (dy, dx) = copy % 3 == 0 ? (0, 0) : (random.Next(-MaxShift, MaxShift + 1), random.Next(-MaxShift, MaxShift + 1));
                result.Add(new ImageTensor(Moved(input, mirror, dy, dx), input.Shape));
            }
        }
        return result;
    }

    private static float[] Moved(ImageTensor input, bool mirror, int dy, int dx)
    {
        int channels = (int)input.Shape[1], height = (int)input.Shape[2], width = (int)input.Shape[3];
        var source = input.Values;
        var moved = new float[source.Length];
        for (var c = 0; c < channels; c++)
        {
            var plane = c * height * width;
            for (var y = 0; y < height; y++)
            {
                var sy = y - dy;
                if (sy < 0 || sy >= height) continue;
                for (var x = 0; x < width; x++)
                {
                    var sx = (mirror ? width - 1 - x : x) - dx;
                    if (sx >= 0 && sx < width) moved[plane + (y * width) + x] = source[plane + (sy * width) + sx];
                }
            }
        }
        return moved;
    }
}
