namespace ModelBuild.Compression;

/// <summary>
/// A problem the user can fix, with its MBxxxx code (docs/internals.md) and the file or option it concerns, so the
/// CLI prints it as <c>&lt;Origin&gt;: error &lt;Code&gt;: &lt;Message&gt;</c>.
/// </summary>
public sealed class CompressionException(string code, string origin, string message, bool isCommandLineProblem = false)
    : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The offending file (or the model, for an option) as the error line's origin.</summary>
    public string Origin { get; } = origin;

    /// <summary>A malformed option string: exit code 2 like any wrong command line, rather than 1.</summary>
    public bool IsCommandLineProblem { get; } = isCommandLineProblem;
}
