using System.Globalization;
using ModelBuild.Compression.Selection;

namespace ModelBuild.Compression.Reporting;

/// <summary>
/// The report's cost table: per Conv/Gemm/MatMul layer of the original, its multiply-accumulates (one input) and
/// parameters in the original and in the chosen model, matched by node name (structured pruning keeps names; a layer
/// the chosen model fused into an integer kernel shows "-").
/// </summary>
public static class LayerCostRows
{
    public static string Heading(SelectionResult result) =>
        $"Multiply-accumulates and parameters per layer: the original and {result.Chosen.Candidate.Name}";

    public static IReadOnlyList<Row> For(SelectionResult result)
    {
        var chosen = result.ChosenCosts.GroupBy(c => c.Layer, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var rows = result.OriginalCosts.Select(layer =>
        {
            var after = chosen.GetValueOrDefault(layer.Layer);
            return new Row(layer.Layer, layer.Operator, Count(layer.MultiplyAccumulates), after is null ? "-" : Count(after.MultiplyAccumulates),
                Count(layer.Parameters), after is null ? "-" : Count(after.Parameters));
        }).ToList();
        if (rows.Count > 0)
        {
            rows.Add(new Row("all", "", Count(result.OriginalCosts.Sum(c => c.MultiplyAccumulates)), Count(result.ChosenCosts.Sum(c => c.MultiplyAccumulates)),
                Count(result.OriginalCosts.Sum(c => c.Parameters)), Count(result.ChosenCosts.Sum(c => c.Parameters))));
        }
        return rows;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public sealed record Row(string Layer, string Operator, string OriginalMacs, string ChosenMacs, string OriginalParameters, string ChosenParameters);
}
