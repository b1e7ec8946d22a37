using System.Globalization;
using ModelBuild.Compression.Comparison;

namespace ModelBuild.Compression.Reporting;

/// <summary>Number formats shared by the Markdown and HTML reports, so both show the same figures.</summary>
public static class ReportFormat
{
    /// <summary>The first line of every Markdown report; <c>modelbuild report</c> checks for it.</summary>
    public const string TitlePrefix = "# ModelBuild report: ";

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Percent(double fraction) => fraction.ToString("P2", Culture);

    public static string Bytes(long bytes) => bytes.ToString("N0", Culture);

    public static string Milliseconds(double milliseconds) => milliseconds.ToString("0.####", Culture);

    public static string Number(double value) => value.ToString("0.####", Culture);

    public static string Ratio(double value, double reference) => reference > 0 ? (value / reference).ToString("0.###x", Culture) : "n/a";

    /// <summary>An accuracy drop in points, signed: <c>+0.42</c> lost, <c>-0.10</c> gained.</summary>
    public static string Points(double fractionLost) => (fractionLost * 100).ToString("+0.00;-0.00;0.00", Culture);

    /// <summary>The accuracy drop of <paramref name="m"/> from <paramref name="original"/> in points.</summary>
    public static string Drop(ModelMeasurement m, ModelMeasurement original) => Points(original.Accuracy - m.Accuracy);

    public static string Sqnr(double decibels) => double.IsPositiveInfinity(decibels) ? "exact" : decibels.ToString("0.0", Culture) + " dB";

    /// <summary>What the accuracy A is, in a phrase: "top-1 on the labels", "character accuracy on the text labels...".</summary>
    public static string AccuracyName(ModelMeasurement measurement) => measurement.Metric.Description();
}
