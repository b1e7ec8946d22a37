namespace ModelBuild.Compression.Data;

/// <summary>
/// How an image becomes a model input, declared rather than coded: resize (bilinear), center crop, channel order,
/// then <c>(pixel / ScaleDivisor - Mean[c]) / Std[c]</c> (or <c>pixel * Scale</c>) per channel, padding on the right, written as NCHW float32 with
/// batch 1.
/// </summary>
public sealed record Preprocessing
{
    /// <summary>Channels and their order; grey images are decoded to one channel.</summary>
    public ImageColor Color { get; init; } = ImageColor.Rgb;

    /// <summary>Resize width; when only <see cref="ResizeHeight"/> is set, the width keeps the aspect ratio (rounded up).</summary>
    public int? ResizeWidth { get; init; }

    /// <summary>Resize height; when only <see cref="ResizeWidth"/> is set, the height keeps the aspect ratio.</summary>
    public int? ResizeHeight { get; init; }

    /// <summary>Center crop size (width, height), applied after resizing.</summary>
    public (int Width, int Height)? CenterCrop { get; init; }

    /// <summary>
    /// Pads on the right to at least this width with zeros after normalization, as PaddleOCR pads text lines (with
    /// mean 0.5 and std 0.5, zero is mid-gray). Wider images are kept as they are.
    /// </summary>
    public int? PadWidth { get; init; }

    private readonly float _factor = 1f;
    private readonly float? _divisor = 255f;

    /// <summary>The factor each pixel is multiplied by; setting it replaces <see cref="ScaleDivisor"/>.</summary>
    public float Scale
    {
        get => _divisor is { } divisor ? 1f / divisor : _factor;
        init
        {
            _factor = value;
            _divisor = null;
        }
    }

    /// <summary>
    /// What each pixel is divided by (255 by default, N for <c>scale=1/N</c>), or null when <see cref="Scale"/>
    /// multiplies. Dividing gives <c>x / 255</c> to the bit, as training code writes it; <c>x * (1f / 255)</c> differs
    /// from it in the last bit for some pixels.
    /// </summary>
    public float? ScaleDivisor
    {
        get => _divisor;
        init => _divisor = value;
    }

    /// <summary>One value for all channels, or one per channel in <see cref="Color"/> order.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f];

    /// <summary>One value for all channels, or one per channel in <see cref="Color"/> order.</summary>
    public IReadOnlyList<float> Std { get; init; } = [1f];

    /// <summary>Decodes an image file and applies the preprocessing.</summary>
    public ImageTensor Load(string imagePath) => Apply(ImageDecoder.Decode(imagePath, Color == ImageColor.Grey ? ImageColor.Grey : ImageColor.Rgb));

    public ImageTensor Apply(DecodedImage image)
    {
        var channels = Color == ImageColor.Grey ? 1 : 3;
        if (image.Channels != channels)
            throw new ArgumentException($"preprocessing for {Color} expects {channels}-channel images, found {image.Channels} channels", nameof(image));
        CheckPerChannel(Mean, nameof(Mean), channels);
        CheckPerChannel(Std, nameof(Std), channels);

        var resized = BilinearResizer.Resize(image, TargetWidth(image), TargetHeight(image));
        var (cropWidth, cropHeight) = CenterCrop ?? (resized.Width, resized.Height);
        if (cropWidth > resized.Width || cropHeight > resized.Height)
            throw new ArgumentException($"center crop {cropWidth}x{cropHeight} is larger than the {resized.Width}x{resized.Height} image", nameof(image));
        // Rounded half to even, as torchvision's CenterCrop does.
        var left = (int)Math.Round((resized.Width - cropWidth) / 2.0);
        var top = (int)Math.Round((resized.Height - cropHeight) / 2.0);

        var width = Math.Max(cropWidth, PadWidth ?? 0);
        var values = new float[channels * cropHeight * width];
        for (var c = 0; c < channels; c++)
        {
            var sourceChannel = Color == ImageColor.Bgr ? 2 - c : c;
            var mean = Mean[Mean.Count == 1 ? 0 : c];
            var std = Std[Std.Count == 1 ? 0 : c];
            var plane = c * cropHeight * width;
            for (var y = 0; y < cropHeight; y++)
            {
                for (var x = 0; x < cropWidth; x++)
                {
                    var pixel = resized[top + y, left + x, sourceChannel];
                    var scaled = _divisor is { } divisor ? pixel / divisor : pixel * _factor;
                    values[plane + (y * width) + x] = (scaled - mean) / std;
                }
            }
        }
        return new ImageTensor(values, [1, channels, cropHeight, width]);
    }

    private int TargetWidth(DecodedImage image) => ResizeWidth
        ?? (ResizeHeight is { } height ? (int)Math.Ceiling((double)height * image.Width / image.Height) : image.Width);

    private int TargetHeight(DecodedImage image) => ResizeHeight
        ?? (ResizeWidth is { } width ? (int)Math.Ceiling((double)width * image.Height / image.Width) : image.Height);

    private static void CheckPerChannel(IReadOnlyList<float> values, string name, int channels)
    {
        if (values.Count != 1 && values.Count != channels)
            throw new ArgumentException($"{name} needs 1 or {channels} values, found {values.Count}", name);
    }
}
