using System;
using System.Linq;

namespace ModelBuild.Tasks.Compression;

/// <summary>
/// The recipes the <c>modelbuild compress</c> command accepts (docs/internals.md), in the order of the CLI's
/// <c>Recipe.All</c>. The task targets netstandard2.0 and cannot reference the compression library, so the list is
/// repeated here; RecipeListTests (tests/ModelBuild.Compression.Tests) fails when the two fall out of step.
/// </summary>
internal static class CompressionRecipes
{
    public const string Int8 = "int8";
    public const string Int8Full = "int8-full";
    public const string Auto = "auto";

    public static readonly string[] Known = { "none", "fp16", "int8-dynamic", Int8, Int8Full, Auto };

    /// <summary>Whether the recipe calibrates on data, as the CLI's <c>Recipe.NeedsCalibrationData</c>.</summary>
    public static bool NeedsCalibrationData(string recipe) => recipe == Int8 || recipe == Int8Full;

    /// <summary>The canonical spelling of a recipe, or null when the recipe is unknown.</summary>
    public static string? Normalize(string recipe) =>
        Known.FirstOrDefault(known => string.Equals(known, recipe.Trim(), StringComparison.OrdinalIgnoreCase));
}
