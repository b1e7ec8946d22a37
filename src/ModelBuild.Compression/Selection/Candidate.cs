using ModelBuild.Compression.Quantization;

namespace ModelBuild.Compression.Selection;

/// <summary>A recipe to try, with the static int8 options it uses (ignored by the other recipes), under a readable name.</summary>
public sealed record Candidate(string Name, Recipe Recipe, StaticQuantizationOptions? Int8Options = null)
{
    public static Candidate Of(Recipe recipe, StaticQuantizationOptions? int8Options = null) =>
        new(recipe == Recipe.Int8 ? $"int8 ({(int8Options ?? new()).CalibrationMethod.ToString().ToLowerInvariant()})" : recipe.Name, recipe, int8Options);
}
