namespace ModelBuild.Compression.Data;

/// <summary>The channels a model expects, in the order it expects them.</summary>
public enum ImageColor
{
    Grey,
    Rgb,
    Bgr,
}
