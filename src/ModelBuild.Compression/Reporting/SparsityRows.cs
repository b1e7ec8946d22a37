using System.Globalization;
using ModelBuild.Compression.Selection;
using ModelBuild.Compression.Sparsity;

namespace ModelBuild.Compression.Reporting;

/// <summary>
/// The report's sparsity table: per layer of the original model, its weights and exact zeros in the original and in
/// the chosen model (matched by node name; a layer the recipe removed or renamed shows "-"), then the totals.
/// </summary>
public static class SparsityRows
{
    public sealed record Row(string Layer, string Operator, string Weights, string Original, string Chosen);

    public static string Heading(SelectionResult result) =>
        $"Sparsity per layer: exact zeros in the weights of the original and of {result.Chosen.Candidate.Name}";

    public static string Verdict(SelectionResult result) => result.OriginalSparsity.LooksPruned
        ? string.Create(CultureInfo.InvariantCulture, $"The original looks pruned: {result.OriginalSparsity.Fraction:P2} of its layer weights are exactly zero (the rule: at least {ModelSparsity.PrunedThreshold:P0}).")
        : string.Create(CultureInfo.InvariantCulture, $"The original is dense: {result.OriginalSparsity.Fraction:P2} of its layer weights are exactly zero (pruned means at least {ModelSparsity.PrunedThreshold:P0}).");

    public static IReadOnlyList<Row> For(SelectionResult result)
    {
        var chosen = result.ChosenSparsity.Layers.GroupBy(l => l.NodeName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var rows = result.OriginalSparsity.Layers
            .Select(l => new Row(l.NodeName, l.OperatorType, Count(l.Elements), Zeros(l), chosen.TryGetValue(l.NodeName, out var c) ? Zeros(c) : "-"))
            .ToList();
        rows.Add(new Row("all", "", Count(result.OriginalSparsity.Elements), Zeros(result.OriginalSparsity.Zeros, result.OriginalSparsity.Fraction),
            Zeros(result.ChosenSparsity.Zeros, result.ChosenSparsity.Fraction)));
        return rows;
    }

    private static string Zeros(LayerSparsity layer) => Zeros(layer.Zeros, layer.Fraction);

    private static string Zeros(long zeros, double fraction) => string.Create(CultureInfo.InvariantCulture, $"{zeros:N0} ({fraction:P2})");

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
