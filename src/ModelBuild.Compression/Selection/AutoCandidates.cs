using ModelBuild.Compression.Calibration;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// The candidate set of <c>auto</c>, after the TFLite paper's table: float16, dynamic-range int8, and, when there is
/// calibration data, static int8 with each calibration method, each written as recipe text (<c>int8:entropy</c>).
/// The "worst layers excluded" candidate is added by <see cref="ModelSelection"/> once it knows the worst layers.
/// </summary>
public static class AutoCandidates
{
    public static IReadOnlyList<Candidate> For(CompressionSettings settings)
    {
        var candidates = new List<Candidate> { Candidate.Of(Recipe.Float16), Candidate.Of(Recipe.Int8Dynamic) };
        if (settings.CalibrationInputs is not null)
        {
            foreach (var method in Enum.GetValues<CalibrationMethod>())
                candidates.Add(Candidate.Of(Recipe.Parse($"{RecipeSteps.Int8}:{method.ToString().ToLowerInvariant()}")));
        }
        return candidates;
    }
}
