using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Data;

/// <summary>
/// A calibration or evaluation data file that cannot be read (code MB1010). The message is in MSBuild's canonical
/// form and names the file, what was expected and what was found, so the CLI can print it as it is.
/// </summary>
public sealed class DataFileException : Exception
{
    public DataFileException(string filePath, string problem, string expected, string found, Exception? inner = null)
        : base($"{filePath}: error {DiagnosticCodes.BadDataFile}: {problem}: expected {expected}, found {found}.", inner)
    {
        FilePath = filePath;
        Detail = $"{problem}: expected {expected}, found {found}.";
    }

    public string Code => DiagnosticCodes.BadDataFile;

    public string FilePath { get; }

    /// <summary>The message without the file and code, for callers that print those themselves.</summary>
    public string Detail { get; }
}
