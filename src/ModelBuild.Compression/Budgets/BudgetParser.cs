using System.Globalization;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Budgets;

/// <summary>
/// Parses budget strings as the build passes them. Sizes: bytes (<c>"250000"</c>), or a number with <c>B</c>,
/// <c>KB</c>, <c>MB</c>, <c>GB</c> in powers of 1024 (<c>"500KB"</c> = 512,000 bytes; <c>KiB</c>, <c>MiB</c> and
/// <c>GiB</c> mean the same). A malformed string is MB1015 naming the forms allowed.
/// </summary>
public static class BudgetParser
{
    public const string SizeForms = "bytes such as \"250000\", or a number with B, KB, MB or GB (powers of 1024) such as \"500KB\" or \"2MB\"";
    public const string RatioForms = "a positive number such as \"0.8\" (the compressed model's latency over the original's)";

    private static readonly (string Suffix, long Factor)[] SizeUnits =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30), ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("B", 1),
    ];

    public static Budget Parse(string? maxAccuracyDrop, string? maxSize, string? maxLatencyRatio, string origin) => new(
        string.IsNullOrWhiteSpace(maxAccuracyDrop) ? null : ParseAccuracyDrop(maxAccuracyDrop, origin),
        string.IsNullOrWhiteSpace(maxSize) ? null : ParseSize(maxSize, origin),
        string.IsNullOrWhiteSpace(maxLatencyRatio) ? null : ParseLatencyRatio(maxLatencyRatio, origin));

    public static AccuracyDrop ParseAccuracyDrop(string text, string origin)
    {
        var value = text.Trim();
        var relative = value.EndsWith('%');
        if (relative) value = value[..^1];
        else if (value.EndsWith("pt", StringComparison.OrdinalIgnoreCase)) value = value[..^2];
        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || !double.IsFinite(number))
            throw Malformed("MaxAccuracyDrop", text, AccuracyDrop.AllowedForms, origin);
        return new AccuracyDrop(number, relative);
    }

    public static long ParseSize(string text, string origin)
    {
        var value = text.Trim().ToUpperInvariant();
        var (suffix, factor) = SizeUnits.FirstOrDefault(unit => value.EndsWith(unit.Suffix, StringComparison.Ordinal), (Suffix: "", Factor: 1L));
        value = value[..^suffix.Length].Trim();
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0 || !double.IsFinite(number))
            throw Malformed("MaxSize", text, SizeForms, origin);
        return (long)Math.Floor(number * factor);
    }

    public static double ParseLatencyRatio(string text, string origin)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0 || !double.IsFinite(number))
            throw Malformed("MaxLatencyRatio", text, RatioForms, origin);
        return number;
    }

    private static CompressionException Malformed(string name, string text, string forms, string origin) =>
        new(DiagnosticCodes.MalformedOption, origin, $"{name} '{text}' is malformed: expected {forms}", isCommandLineProblem: true);
}
