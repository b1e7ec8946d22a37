using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Datasets;

namespace ModelBuild.Compression.Selection;

/// <summary>Everything a selection run needs besides the model: data, limits, weights and how to measure.</summary>
public sealed record SelectionRequest(Dataset Evaluation, CompressionSettings Settings)
{
    public Budget Budget { get; init; } = Budget.None;

    public ObjectiveWeights Weights { get; init; } = ObjectiveWeights.Equal;

    public ComparisonOptions Comparison { get; init; } = new();

    /// <summary>A model measured beside the original and the candidates (a distilled student's teacher), or null.</summary>
    public ReferenceModel? Reference { get; init; }

    /// <summary>Inputs run through both models for the per-layer SQNR diagnosis.</summary>
    public int DiagnosisInputs { get; init; } = 8;

    /// <summary>Layers the auto search keeps in float for its "worst layers excluded" candidate.</summary>
    public int ExcludedWorstLayers { get; init; } = 2;
}
