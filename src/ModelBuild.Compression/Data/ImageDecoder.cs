using StbImageSharp;

namespace ModelBuild.Compression.Data;

/// <summary>
/// Decodes JPEG, PNG and BMP files with StbImageSharp: managed code only, so users install no native image library.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes to grey (one channel) or RGB (three channels); BGR is a channel order applied later.</summary>
    public static DecodedImage Decode(string path, ImageColor color)
    {
        if (!File.Exists(path))
            throw new DataFileException(path, "the image does not exist", "a JPEG, PNG or BMP file", "no file");
        var bytes = DataFileReads.ReadAllBytes(path);
        var components = color == ImageColor.Grey ? ColorComponents.Grey : ColorComponents.RedGreenBlue;
        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(bytes, components);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFileException(path, "the image cannot be decoded", "a JPEG, PNG or BMP file",
                $"{bytes.Length} bytes that stb_image rejects ({e.Message})", e);
        }
        var channels = color == ImageColor.Grey ? 1 : 3;
        return new DecodedImage(result.Width, result.Height, channels, result.Data);
    }
}
