using ModelBuild.Compression.Calibration;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// The candidate set of <c>auto</c>, after the TFLite paper's table: float16, dynamic-range int8, and, when there is
/// calibration data, static int8 with each calibration method, each written as recipe text (<c>int8:entropy</c>).
/// The "worst layers excluded" candidate is added by <see cref="ModelSelection"/> once it knows the worst layers.
/// With calibration data it also tries the step combinations of <see cref="CalibratedRecipes"/> (issue 11).
/// </summary>
public static class AutoCandidates
{
    /// <summary>
    /// Step combinations tried when there is calibration data, as recipe text: one line adds a candidate. A text
    /// naming a step this build does not have is left out, so a list can name steps another branch brings.
    /// </summary>
    public static readonly IReadOnlyList<string> CalibratedRecipes =
    [
        "int8+cluster:5+huffman",
        "int8+cluster:4+huffman",
        "int8+cluster:3+huffman",
        // The second-order steps: 4-bit weights with per-layer 8-bit fallback, and half the weights pruned with
        // per-layer sparsities from measured sensitivity (issue 11 item 4).
        "int4+huffman",
        "prune:0.5+int4+huffman",
    ];

    public static IReadOnlyList<Candidate> For(CompressionSettings settings)
    {
        var candidates = new List<Candidate> { Candidate.Of(Recipe.Float16), Candidate.Of(Recipe.Int8Dynamic) };
        if (settings.CalibrationInputs is not null)
        {
            foreach (var method in Enum.GetValues<CalibrationMethod>())
                candidates.Add(Candidate.Of(Recipe.Parse($"{RecipeSteps.Int8}:{method.ToString().ToLowerInvariant()}")));
            candidates.AddRange(FromText(CalibratedRecipes));
        }
        return candidates;
    }

    /// <summary>A candidate per recipe text that parses (an unknown step leaves its text out).</summary>
    public static IEnumerable<Candidate> FromText(IEnumerable<string> recipes)
    {
        foreach (var text in recipes)
        {
            Recipe recipe;
            try
            {
                recipe = Recipe.Parse(text);
            }
            catch (RecipeException)
            {
                continue;
            }
            yield return Candidate.Of(recipe);
        }
    }
}
