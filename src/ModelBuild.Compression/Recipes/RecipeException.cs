namespace ModelBuild.Compression;

/// <summary>An unknown recipe name (MB1005); the message lists the recipes that exist.</summary>
public sealed class RecipeException : Exception
{
    public const string UnknownRecipeCode = "MB1005";

    public RecipeException(string requested)
        : base($"unknown recipe '{requested}'. Use one of: {string.Join(", ", Recipe.All.Select(r => r.Name))}")
    {
        Requested = requested;
    }

    public string Code => UnknownRecipeCode;

    public string Requested { get; }
}
