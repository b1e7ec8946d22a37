using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Sparsity;

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

    /// <summary>The CPUs the model was compressed for.</summary>
    public Targets.TargetCpu Target { get; init; }

    /// <summary>Exact zeros per layer weight of the original model and of the chosen one (int8 weights dequantized).</summary>
    public ModelSparsity OriginalSparsity { get; init; } = new([]);

    /// <inheritdoc cref="OriginalSparsity"/>
    public ModelSparsity ChosenSparsity { get; init; } = new([]);

    /// <summary>Multiply-accumulates and parameters per Conv/Gemm/MatMul layer of the original, for one input (what structured pruning removes).</summary>
    public IReadOnlyList<StructuredPruning.LayerCost> OriginalCosts { get; init; } = [];

    /// <inheritdoc cref="OriginalCosts"/>
    public IReadOnlyList<StructuredPruning.LayerCost> ChosenCosts { get; init; } = [];

    /// <summary>The reference model (a distilled student's teacher) measured with the others, or null.</summary>
    public ModelMeasurement? Reference { get; init; }

    /// <summary>The instruction set of the machine that measured it, e.g. <c>x64 AVX2, no VNNI</c>.</summary>
    public string MeasuredOn { get; init; } = "";

    /// <summary>One sentence for reports: where the figures were measured, for which target, with which int8 scheme.</summary>
    public string MeasuredOnSentence()
    {
        var scheme = Chosen.Scheme is { } used ? $"; {Chosen.Candidate.Name} stores {Targets.TargetCpus.Describe(used)} (scheme {Targets.TargetCpus.SchemeName(used)})" : "";
        return $"Measured on this machine ({MeasuredOn}, ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}); target CPU {Targets.TargetCpus.Name(Target)}{scheme}.";
    }
}
