using System.Globalization;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Selection;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Compression.Reporting;

/// <summary>
/// The report's accuracy per class (per folder, for a folder of class folders): one row per label with its inputs
/// and the top-1 of the original and of every candidate on them, the drop from the original in points beside each.
/// Shown when the labels name at least two classes.
/// </summary>
public static class ClassRows
{
    public sealed record Row(string Label, string Inputs, IReadOnlyList<string> Cells);

    public static bool Applies(SelectionResult result) => result.Original.PerClass.Count >= 2;

    /// <summary>The column heads after class and inputs: the original, then each candidate.</summary>
    public static IReadOnlyList<string> Headers(SelectionResult result) =>
        [result.Original.Name, .. result.Outcomes.Select(o => o.Candidate.Name)];

    public static IReadOnlyList<Row> For(SelectionResult result)
    {
        var original = result.Original.PerClass;
        return original.Select(cls =>
        {
            var cells = new List<string> { Percent(cls.Top1) };
            foreach (var outcome in result.Outcomes)
            {
                var candidate = outcome.Measurement.PerClass.FirstOrDefault(c => c.Label == cls.Label);
                cells.Add(candidate is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Percent(candidate.Top1)} ({Points(cls.Top1 - candidate.Top1)})"));
            }
            return new Row(cls.Label.ToString(CultureInfo.InvariantCulture), cls.Count.ToString("N0", CultureInfo.InvariantCulture), cells);
        }).ToList();
    }
}
