using System;
using System.Linq;

namespace ModelBuild.Tasks.Compression;

/// <summary>The recipes the <c>modelbuild compress</c> command accepts (docs/internals.md).</summary>
internal static class CompressionRecipes
{
    public static readonly string[] Known = { "none", "fp16", "int8-dynamic" };

    /// <summary>The canonical spelling of a recipe, or null when the recipe is unknown.</summary>
    public static string? Normalize(string recipe) =>
        Known.FirstOrDefault(known => string.Equals(known, recipe.Trim(), StringComparison.OrdinalIgnoreCase));
}
