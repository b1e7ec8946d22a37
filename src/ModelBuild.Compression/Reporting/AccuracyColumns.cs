using ModelBuild.Compression.Comparison;
using static ModelBuild.Compression.Reporting.ReportFormat;

namespace ModelBuild.Compression.Reporting;

/// <summary>
/// The accuracy columns of the reports and the CLI's tables, named after the metric measured: top-1 and top-5 for
/// a classifier with labels; character accuracy, CER, CER ignoring case and exact words for a text recognizer with
/// text labels; one agreement column without labels. The first column is always the accuracy A.
/// </summary>
public static class AccuracyColumns
{
    public static IReadOnlyList<(string Header, Func<ModelMeasurement, string> Value)> For(AccuracyMetric metric)
    {
        (string, Func<ModelMeasurement, string>) accuracy = (metric.ShortName(), m => Percent(m.Accuracy));
        return metric switch
        {
            AccuracyMetric.Top1 => [accuracy, ("top-5", m => m.Top5 is { } top5 ? Percent(top5) : "")],
            AccuracyMetric.CharacterAccuracy =>
            [
                accuracy,
                ("CER", m => TextFigure(m, t => t.CharacterErrorRate)),
                ("CER ignoring case", m => TextFigure(m, t => t.CaseInsensitiveCharacterErrorRate)),
                ("exact words", m => TextFigure(m, t => t.ExactWords)),
            ],
            _ => [accuracy],
        };
    }

    private static string TextFigure(ModelMeasurement measurement, Func<TextAccuracy, double> figure) =>
        measurement.Text is { } text ? Percent(figure(text)) : "";
}
