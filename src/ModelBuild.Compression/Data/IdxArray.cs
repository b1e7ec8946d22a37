namespace ModelBuild.Compression.Data;

/// <summary>The content of an IDX file (the MNIST format): unsigned bytes with their dimensions.</summary>
public sealed record IdxArray(string FilePath, IReadOnlyList<int> Dimensions, byte[] Values)
{
    /// <summary>A rank-3 array (count x height x width) as grey images.</summary>
    public IReadOnlyList<DecodedImage> ToImages()
    {
        if (Dimensions.Count != 3)
            throw new DataFileException(FilePath, "not an IDX image file", "3 dimensions (count, height, width)",
                $"{Dimensions.Count} dimensions");
        int count = Dimensions[0], height = Dimensions[1], width = Dimensions[2];
        var images = new DecodedImage[count];
        for (var i = 0; i < count; i++)
            images[i] = new DecodedImage(width, height, 1, Values.AsSpan(i * height * width, height * width).ToArray());
        return images;
    }

    /// <summary>A rank-1 array as class labels.</summary>
    public int[] ToLabels()
    {
        if (Dimensions.Count != 1)
            throw new DataFileException(FilePath, "not an IDX label file", "1 dimension", $"{Dimensions.Count} dimensions");
        return Array.ConvertAll(Values, value => (int)value);
    }
}
