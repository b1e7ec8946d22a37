using System;
using System.Linq;

namespace ModelBuild.Tasks.Compression;

/// <summary>
/// The recipes the <c>modelbuild compress</c> command accepts (docs/internals.md), in the order of the CLI's
/// <c>Recipe.All</c>. The task targets netstandard2.0 and cannot reference the compression library, so the list is
/// repeated here; RecipeListTests (tests/ModelBuild.Compression.Tests) fails when the two fall out of step, and checks
/// that both accept and reject the same spellings of compositions (<c>int8 + huffman</c>, <c>none+huffman</c>).
/// </summary>
internal static class CompressionRecipes
{
    public const string Int8 = "int8";
    public const string Int8Full = "int8-full";
    public const string Auto = "auto";
    public const string Huffman = "huffman";

    public static readonly string[] Known =
    {
        "none", "fp16", "int8-dynamic", Int8, Int8Full, Auto,
        Huffman, "fp16+huffman", "int8-dynamic+huffman", "int8+huffman", "int8-full+huffman",
    };

    /// <summary>Whether the recipe calibrates on data, as the CLI's <c>Recipe.NeedsCalibrationData</c>.</summary>
    public static bool NeedsCalibrationData(string recipe)
    {
        var baseRecipe = recipe.EndsWith("+" + Huffman, StringComparison.Ordinal) ? recipe.Substring(0, recipe.Length - Huffman.Length - 1) : recipe;
        return baseRecipe == Int8 || baseRecipe == Int8Full;
    }

    /// <summary>The canonical spelling of a recipe (steps trimmed, <c>none+huffman</c> as <c>huffman</c>), or null when the recipe is unknown.</summary>
    public static string? Normalize(string recipe)
    {
        var steps = recipe.Split('+').Select(step => step.Trim()).ToArray();
        var name = string.Join("+", steps);
        if (string.Equals(name, "none+" + Huffman, StringComparison.OrdinalIgnoreCase)) return Huffman;
        return Known.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
    }
}
