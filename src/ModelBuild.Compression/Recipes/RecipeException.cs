using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression;

/// <summary>An unknown recipe or a composition that does not exist (MB1005); the message lists the recipes that exist.</summary>
public sealed class RecipeException : Exception
{

    public RecipeException(string requested, string? reason = null)
        : base($"unknown recipe '{requested}'{(reason is null ? "" : $" ({reason})")}. Use one of: {string.Join(", ", Recipe.All.Select(r => r.Name))}")
    {
        Requested = requested;
    }

    public string Code => DiagnosticCodes.UnknownRecipe;

    public string Requested { get; }
}
