using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// A candidate compressed and measured: its model, the bytes stored for it (a ModelBuild container for a
/// <c>+huffman</c> recipe, else the ONNX file), measurement, objective value L and budget verdicts.
/// </summary>
public sealed record CandidateOutcome(
    Candidate Candidate,
    ModelProto Model,
    byte[] ModelBytes,
    ModelMeasurement Measurement,
    double Loss,
    IReadOnlyList<BudgetVerdict> Verdicts)
{
    public bool MeetsBudgets => Verdicts.All(v => v.Met);

    /// <summary>How the model's int8 weights meet the integer kernels; null when it runs none.</summary>
    public Targets.Int8Scheme? Scheme { get; init; }

    /// <summary>What folding a fake-quantized QAT export changed (every candidate folds it alike).</summary>
    public Quantization.FakeQuantFolding Folding { get; init; } = Quantization.FakeQuantFolding.None;
}
