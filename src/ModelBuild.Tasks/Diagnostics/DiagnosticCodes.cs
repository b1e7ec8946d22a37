namespace ModelBuild.Tasks.Diagnostics;

/// <summary>The MBxxxx codes the tasks report; the full table is in docs/internals.md.</summary>
internal static class DiagnosticCodes
{
    public const string ModelNotFound = "MB1001";
    public const string UnknownRecipe = "MB1005";
    public const string ClassClash = "MB1006";
    public const string InvalidIdentifier = "MB1007";
    public const string CannotWrite = "MB1009";
    public const string MalformedOption = "MB1015";
    public const string BudgetMissed = "MB1016";
    public const string DataRequired = "MB1017";
    public const string CliFailedSilently = "MB1901";
    public const string CliNotFound = "MB1902";
}
