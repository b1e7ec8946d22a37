namespace ModelBuild.Onnx;

/// <summary>
/// A model that cannot be read, or an output that cannot be written. <see cref="Code"/> is the MBxxxx code from
/// docs/internals.md; <see cref="Detail"/> says what was expected and what was found, without the path, so the CLI
/// can print it in MSBuild's canonical <c>file: error CODE: detail</c> form.
/// </summary>
public sealed class OnnxModelException : Exception
{
    public OnnxModelException(string code, string? filePath, string detail, Exception? innerException = null)
        : base(FormatMessage(code, filePath, AsSentence(detail)), innerException)
    {
        Code = code;
        FilePath = filePath;
        Detail = AsSentence(detail);
    }

    public string Code { get; }

    public string? FilePath { get; }

    public string Detail { get; }

    // Details are built from fragments that may or may not end a sentence; the canonical line reads as prose.
    private static string AsSentence(string detail) => detail.EndsWith('.') ? detail : detail + ".";

    private static string FormatMessage(string code, string? filePath, string detail) =>
        filePath is null ? $"{code}: {detail}" : $"{filePath}: {code}: {detail}";
}
