using ModelBuild.Compression.Budgets;
using ModelBuild.Compression.Comparison;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Selection;

/// <summary>A candidate compressed and measured: its model, measurement, objective value L and budget verdicts.</summary>
public sealed record CandidateOutcome(
    Candidate Candidate,
    ModelProto Model,
    byte[] ModelBytes,
    ModelMeasurement Measurement,
    double Loss,
    IReadOnlyList<BudgetVerdict> Verdicts)
{
    public bool MeetsBudgets => Verdicts.All(v => v.Met);
}
