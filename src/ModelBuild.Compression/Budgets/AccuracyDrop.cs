using System.Globalization;

namespace ModelBuild.Compression.Budgets;

/// <summary>
/// The most accuracy a model may lose. <c>"1%"</c> is relative: the drop may be at most 1% of the original's
/// accuracy (98.9% may fall to 97.911%). <c>"0.5"</c> or <c>"0.5pt"</c> is in percentage points: 98.9% may fall to 98.4%.
/// </summary>
public sealed record AccuracyDrop(double Value, bool IsRelative)
{
    public const string AllowedForms = "a relative drop such as \"1%\", or points of accuracy such as \"0.5\" or \"0.5pt\" (non-negative numbers)";

    /// <summary>The lowest accuracy (a fraction) allowed for a model whose original scored <paramref name="originalAccuracy"/>.</summary>
    public double LowestAllowed(double originalAccuracy) =>
        IsRelative ? originalAccuracy * (1 - (Value / 100)) : originalAccuracy - (Value / 100);

    public override string ToString() => IsRelative
        ? string.Create(CultureInfo.InvariantCulture, $"{Value}%")
        : string.Create(CultureInfo.InvariantCulture, $"{Value}pt");
}
