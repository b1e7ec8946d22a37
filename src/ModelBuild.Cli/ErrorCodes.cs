namespace ModelBuild.Cli;

/// <summary>The CLI's own MBxxxx codes (docs/internals.md); model and recipe codes come with their exceptions.</summary>
public static class ErrorCodes
{
    public const string BadCommandLine = "MB1011";
    /// <summary><c>modelbuild report</c> was given a file that is not a report.</summary>
    public const string NotAReport = "MB1018";
    public const string InternalError = "MB9001";
}
