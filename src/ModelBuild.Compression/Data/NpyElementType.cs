namespace ModelBuild.Compression.Data;

/// <summary>The <c>.npy</c> element types the readers accept (numpy descr <c>&lt;f4</c>, <c>|u1</c>, <c>&lt;i8</c>).</summary>
public enum NpyElementType
{
    Float32,
    UInt8,
    Int64,
}
