using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// Every candidate measured against the original, the one chosen (lowest L among those meeting every budget, or
/// lowest L overall when none does), the chosen model's per-layer diagnosis, and the choice in words.
/// </summary>
public sealed record SelectionResult(
    string ModelName,
    ModelMeasurement Original,
    IReadOnlyList<CandidateOutcome> Outcomes,
    CandidateOutcome Chosen,
    IReadOnlyList<LayerNoise> Layers,
    ObjectiveWeights Weights,
    Budget Budget,
    string Explanation,
    IReadOnlyList<CompressionWarning> Warnings)
{
    public bool ChosenMeetsBudgets => Chosen.MeetsBudgets;
}
