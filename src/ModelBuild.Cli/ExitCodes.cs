namespace ModelBuild.Cli;

/// <summary>The process exit codes of docs/internals.md; the MSBuild task tells them apart.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int ModelFailed = 1;
    public const int BadCommandLine = 2;
    public const int InternalError = 3;
}
