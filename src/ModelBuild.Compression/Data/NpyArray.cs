namespace ModelBuild.Compression.Data;

/// <summary>A numpy array read from a <c>.npy</c> file, values in C (row-major) order.</summary>
public sealed record NpyArray(string FilePath, IReadOnlyList<int> Shape, NpyElementType ElementType, Array Values)
{
    public float[] AsFloat32() => As<float>(NpyElementType.Float32);

    public byte[] AsUInt8() => As<byte>(NpyElementType.UInt8);

    public long[] AsInt64() => As<long>(NpyElementType.Int64);

    /// <summary>Any supported element type widened to float32 (images stored as uint8, for example).</summary>
    public float[] ToFloat32() => ElementType switch
    {
        NpyElementType.Float32 => (float[])Values,
        NpyElementType.UInt8 => Array.ConvertAll((byte[])Values, value => (float)value),
        _ => Array.ConvertAll((long[])Values, value => (float)value),
    };

    /// <summary>
    /// Splits the first dimension into model inputs of batch 1 (an [N, C, H, W] array becomes N tensors of
    /// [1, C, H, W]), widened to float32: the layout calibration inputs are usually saved in.
    /// </summary>
    public IReadOnlyList<ImageTensor> ToSamples()
    {
        if (Shape.Count < 2)
            throw new DataFileException(FilePath, "not a batch of inputs", "at least 2 dimensions (count first)", $"{Shape.Count} dimensions");
        var values = ToFloat32();
        var sampleShape = Shape.Skip(1).Select(dimension => (long)dimension).Prepend(1L).ToArray();
        var sampleLength = values.Length / Math.Max(1, Shape[0]);
        return Enumerable.Range(0, Shape[0])
            .Select(i => new ImageTensor(values.AsSpan(i * sampleLength, sampleLength).ToArray(), sampleShape))
            .ToList();
    }

    private T[] As<T>(NpyElementType expected) => ElementType == expected
        ? (T[])Values
        : throw new DataFileException(FilePath, "unexpected .npy element type", expected.ToString(), ElementType.ToString());
}
