using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Selection;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Compression.Reporting;

/// <summary>
/// The report's teacher table, laid out as the Edge-AI paper's distillation table: the reference model (the teacher),
/// the model as given (the uncompressed student) and the chosen candidate (the compressed student), each with its
/// stored size, latency and accuracy, and each against the teacher.
/// </summary>
public static class ReferenceRows
{
    public sealed record Row(string Role, string Model, string Stored, string SizeRatio, string Latency, string LatencyRatio, string Accuracy, string Drop);

    public static readonly IReadOnlyList<string> Headers =
        ["role", "model", "stored (bytes)", "size vs teacher", "latency (ms)", "latency vs teacher", "accuracy", "drop vs teacher"];

    public static string Heading(SelectionResult result) => $"Teacher and student: {result.Reference?.Name} beside {result.ModelName}";

    public static string Sentence(SelectionResult result) =>
        $"The reference model (the teacher) is measured on the same {result.Original.EvaluatedInputs} inputs, its latency interleaved with the others'. " +
        $"Accuracy is {AccuracyName(result.Original)}; the drop is in points against the teacher.";

    /// <summary>Empty without a reference model.</summary>
    public static IReadOnlyList<Row> For(SelectionResult result)
    {
        if (result.Reference is not { } teacher)
            return [];
        return
        [
            Of("teacher", teacher.Name, teacher, teacher),
            Of("student", result.ModelName, result.Original, teacher),
            Of("compressed student", $"{result.ModelName} as {result.Chosen.Candidate.Name}", result.Chosen.Measurement, teacher),
        ];
    }

    private static Row Of(string role, string model, ModelMeasurement m, ModelMeasurement teacher) => new(role,
        model, Bytes(m.StoredBytes), Ratio(m.StoredBytes, teacher.StoredBytes),
        Milliseconds(m.LatencyMilliseconds), Ratio(m.LatencyMilliseconds, teacher.LatencyMilliseconds),
        Percent(m.Accuracy), Points(teacher.Accuracy - m.Accuracy));

    private static string Points(double fraction) => (100 * fraction).ToString("+0.00;-0.00;0.00", System.Globalization.CultureInfo.InvariantCulture) + " pt";
}
