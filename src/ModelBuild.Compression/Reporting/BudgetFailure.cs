using ModelBuild.Compression.Selection;

namespace ModelBuild.Compression.Reporting;

/// <summary>
/// The MB1016 message for a chosen model that misses a budget: by how much, the worst layers by SQNR, and what to
/// exclude, in one line for the build log.
/// </summary>
public static class BudgetFailure
{
    public static string Message(SelectionResult result, int worstLayers = 3)
    {
        var chosen = result.Chosen;
        var misses = string.Join("; ", chosen.Verdicts.Where(v => !v.Met).Select(v => $"{v.Budget} {v.Limit}: {v.Miss}"));
        if (chosen.Verdicts.All(v => v.Met || v.Budget != "MaxAccuracyDrop"))
            return $"the best candidate, {chosen.Candidate.Name}, misses the budget ({misses}); keeping layers in float would only make it larger and slower: {SmallerRecipeAdvice(chosen.Candidate.Name)}. It was still written, with the report, for inspection";
        var worst = result.Layers.Where(l => !double.IsPositiveInfinity(l.SqnrDecibels)).Take(worstLayers).ToList();
        var layers = worst.Count == 0
            ? "no layer output differs from the float model, so excluding layers will not help; relax the budget or try another recipe"
            : $"the worst layers by SQNR are {string.Join(", ", worst.Select(l => $"{l.NodeName} ({l.OperatorType}, {ReportFormat.Sqnr(l.SqnrDecibels)})"))}; " +
              $"try keeping them in float with ExcludeNodes=\"{string.Join(";", worst.Select(l => l.NodeName))}\" (--exclude-nodes), or relax the budget";
        return $"the best candidate, {chosen.Candidate.Name}, misses the budget ({misses}); {layers}. It was still written, with the report, for inspection";
    }

    // int8 variants are the smallest recipes there are: only the budget can move then.
    private static string SmallerRecipeAdvice(string candidateName) =>
        candidateName.StartsWith("int8", StringComparison.Ordinal)
            ? "no recipe is smaller than int8 yet, so relax the budget"
            : "try a smaller recipe (int8, or auto) or relax the budget";
}
