namespace ModelBuild.Compression;

/// <summary>A warning with its MBxxxx code (docs/internals.md), e.g. MB2001 already quantized.</summary>
public sealed record CompressionWarning(string Code, string Message)
{
    public const string AlreadyQuantizedCode = "MB2001";
    public const string NothingToCompressCode = "MB2002";
    public const string BoundaryStaysFloatCode = "MB2007";
}
