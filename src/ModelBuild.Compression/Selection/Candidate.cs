using ModelBuild.Compression.Quantization;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// A recipe to try, under a readable name. Parameters are part of the recipe (<c>int8:entropy</c>), so a search
/// sweeps them as recipe text; <see cref="ExcludedNodes"/> keeps layers in float on top of the settings' exclusions
/// (the "worst layers excluded" candidate of <c>auto</c>).
/// </summary>
public sealed record Candidate(string Name, Recipe Recipe)
{
    public IReadOnlySet<string> ExcludedNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The candidate for <paramref name="recipe"/>, named by its text, except that static int8 alone is named with its
    /// calibration method (<c>int8 (entropy)</c>): the recipe's parameter, else <paramref name="defaults"/>' method.
    /// </summary>
    public static Candidate Of(Recipe recipe, StaticQuantizationOptions? defaults = null) =>
        new(recipe.IsOnly(RecipeSteps.Int8)
            ? $"int8 ({StaticInt8Pass.Options(recipe.Steps[0], defaults ?? new()).CalibrationMethod.ToString().ToLowerInvariant()})"
            : recipe.Text, recipe);
}
