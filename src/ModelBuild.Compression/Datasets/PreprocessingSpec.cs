using System.Globalization;
using ModelBuild.Compression.Data;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Datasets;

/// <summary>
/// Parses preprocessing from a string, as the build passes it: <c>key=value</c> pairs separated by <c>;</c>,
/// e.g. <c>resize=32x32;crop=28;channels=bgr;layout=nchw;scale=1/255;mean=0.5;std=0.5,0.5,0.5</c>, or for a text
/// recognizer <c>resize=x48;pad=320;channels=bgr;mean=0.5;std=0.5</c> (height 48 keeping the aspect ratio, padded).
/// Anything not given comes from the model's input: grey for one channel, RGB for three, its layout, x/255, no
/// mean or std, no resize (images must then have the model's size).
/// </summary>
public static class PreprocessingSpec
{
    public const string AllowedForms =
        "key=value pairs separated by ';': resize=WxH or resize=N or resize=xH (height H, width keeping the aspect ratio), crop=WxH or crop=N, pad=W (pad right to at least W with zeros after normalization), channels=rgb|bgr|grey, layout=nchw|nhwc, scale=<number> or 1/<number>, mean=<n>[,<n>,<n>], std=<n>[,<n>,<n>]";

    public static DatasetPreprocessing Parse(string? text, ModelInputLayout layout, string origin)
    {
        var image = new Preprocessing { Color = layout.Channels == 1 ? ImageColor.Grey : ImageColor.Rgb };
        var channelsLast = layout.ChannelsLast;
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            var key = equals > 0 ? pair[..equals].Trim().ToLowerInvariant() : "";
            var value = equals > 0 ? pair[(equals + 1)..].Trim() : "";
            image = key switch
            {
                "resize" when value.StartsWith('x') || value.StartsWith('X') => image with { ResizeWidth = null, ResizeHeight = Count(value[1..], pair) },
                "resize" => Resized(image, Size(value, pair)),
                "pad" => image with { PadWidth = Count(value, pair) },
                "crop" => image with { CenterCrop = Size(value, pair) },
                "channels" => image with { Color = Color(value, pair) },
                "scale" when value.StartsWith("1/", StringComparison.Ordinal) => image with { ScaleDivisor = Positive(value[2..], pair) },
                "scale" => image with { Scale = Positive(value, pair) },
                "mean" => image with { Mean = Numbers(value, pair) },
                "std" => image with { Std = Numbers(value, pair) },
                "layout" => image,
                _ => throw Malformed(pair),
            };
            if (key == "layout")
                channelsLast = value.ToLowerInvariant() switch { "nchw" => false, "nhwc" => true, _ => throw Malformed(pair) };
        }
        var channels = image.Color == ImageColor.Grey ? 1 : 3;
        foreach (var (name, values) in new[] { ("mean", image.Mean), ("std", image.Std) })
        {
            if (values.Count != 1 && values.Count != channels)
                throw new CompressionException(DiagnosticCodes.MalformedOption, origin,
                    $"preprocessing {name} has {values.Count} values: expected 1 or {channels} (one per channel of {image.Color})", isCommandLineProblem: true);
        }
        return new DatasetPreprocessing(image, channelsLast);

        CompressionException Malformed(string found) => new(DiagnosticCodes.MalformedOption, origin,
            $"malformed preprocessing '{found}' in '{text}': expected {AllowedForms}", isCommandLineProblem: true);

        static Preprocessing Resized(Preprocessing image, (int Width, int Height) size) =>
            image with { ResizeWidth = size.Width, ResizeHeight = size.Height };

        (int, int) Size(string value, string found)
        {
            var parts = value.Split('x', 'X');
            if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0))
                throw Malformed(found);
            var width = int.Parse(parts[0], CultureInfo.InvariantCulture);
            return (width, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : width);
        }

        int Count(string value, string found) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Malformed(found);

        ImageColor Color(string value, string found) => value.ToLowerInvariant() switch
        {
            "rgb" => ImageColor.Rgb,
            "bgr" => ImageColor.Bgr,
            "grey" or "gray" => ImageColor.Grey,
            _ => throw Malformed(found),
        };

        // 1/N divides by N rather than multiplying by its float reciprocal: x / 255 is what training code computes.
        float Positive(string value, string found) =>
            float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : throw Malformed(found);

        IReadOnlyList<float> Numbers(string value, string found)
        {
            var numbers = new List<float>();
            foreach (var part in value.Split(','))
            {
                if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    throw Malformed(found);
                numbers.Add(number);
            }
            if (found.StartsWith("std", StringComparison.OrdinalIgnoreCase) && numbers.Any(n => n <= 0))
                throw Malformed(found);
            return numbers;
        }
    }
}
