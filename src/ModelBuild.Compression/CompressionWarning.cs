namespace ModelBuild.Compression;

/// <summary>A warning with its MBxxxx code (<see cref="Contracts.Diagnostics.DiagnosticCodes"/>), e.g. MB2001 already quantized.</summary>
public sealed record CompressionWarning(string Code, string Message);
