namespace ModelBuild.EndToEnd.Tests;

/// <summary>Writes uncompressed 24-bit BMP images: the image format the CLI decodes that needs no encoder to write.</summary>
public static class BmpImage
{
    /// <summary>A grey image, <paramref name="grey"/>[row * width + column], as bottom-up BGR rows padded to 4 bytes.</summary>
    public static void WriteGrey(string path, int width, int height, byte[] grey)
    {
        var stride = (width * 3 + 3) / 4 * 4;
        var pixelBytes = stride * height;
        const int headerBytes = 14 + 40;
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("BM"u8);
        writer.Write(headerBytes + pixelBytes);
        writer.Write(0);
        writer.Write(headerBytes);
        writer.Write(40);
        writer.Write(width);
        writer.Write(height);
        writer.Write((short)1);
        writer.Write((short)24);
        writer.Write(0);
        writer.Write(pixelBytes);
        writer.Write(2835);
        writer.Write(2835);
        writer.Write(0);
        writer.Write(0);
        for (var row = height - 1; row >= 0; row--)
        {
            for (var column = 0; column < width; column++)
            {
                var value = grey[row * width + column];
                writer.Write([value, value, value]);
            }
            writer.Write(new byte[stride - width * 3]);
        }
    }
}
