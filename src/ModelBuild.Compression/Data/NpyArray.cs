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

    private T[] As<T>(NpyElementType expected) => ElementType == expected
        ? (T[])Values
        : throw new DataFileException(FilePath, "unexpected .npy element type", expected.ToString(), ElementType.ToString());
}
