using ModelBuild.Compression.Data;
using ModelBuild.Compression.Datasets;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Comparison;

/// <summary>
/// Scores the original model (first) and its candidates on the same inputs. The shape the original returns decides
/// how: [1, T, C] (rank 3) is a CTC text recognizer, decoded greedily (best class per step, repeats collapsed, blank 0
/// dropped) and scored by character accuracy against text labels, or by agreement of the decoded class sequences
/// with the original's without labels; any other shape is a classifier scored by the argmax over its first output.
/// </summary>
public static class AccuracyScoring
{
    public static IReadOnlyList<AccuracyScore> Score(IReadOnlyList<ModelRunner> runners, Dataset data, Charset? charset)
    {
        var shape = runners[0].Run(data.Inputs[0]).Shape;
        if (shape.Length == 3)
            return Texts(runners, data, charset, (int)shape[2]);
        if (data.HasTexts)
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, data.Sources[0],
                $"text labels, but the model's first output {runners[0].OutputName} returned shape [{string.Join(", ", shape)}]: expected [1, T, C] from a CTC text recognizer, or class labels for a classifier");
        return Classes(runners, data, (int)shape.Aggregate(1L, (a, b) => a * b));
    }

    private static IReadOnlyList<AccuracyScore> Classes(IReadOnlyList<ModelRunner> runners, Dataset data, int classes)
    {
        var originalReport = ClassificationEvaluator.Evaluate(runners[0], data.WithLabels(data.Labels ?? new int[data.Count]));
        // Without labels a candidate is scored by how often it agrees with the original's top-1.
        var labels = data.Labels ?? originalReport.Predictions;
        var metric = data.HasLabels ? AccuracyMetric.Top1 : AccuracyMetric.Top1Agreement;
        return runners.Select((runner, i) =>
        {
            var report = i == 0 && data.HasLabels ? originalReport : ClassificationEvaluator.Evaluate(runner, data.WithLabels(labels));
            return new AccuracyScore(report.Top1, metric, data.HasLabels && classes >= 5 ? report.Top5 : null)
            {
                PerClass = data.HasLabels ? ClassAccuracy.Of(labels, report.Predictions) : [],
            };
        }).ToList();
    }

    private static IReadOnlyList<AccuracyScore> Texts(IReadOnlyList<ModelRunner> runners, Dataset data, Charset? charset, int classCount)
    {
        if (data.HasLabels)
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, data.Sources[0],
                $"class labels, but the model's first output {runners[0].OutputName} is [1, T, {classCount}], a CTC text recognizer's: expected text labels (file,text CSV or mmocr labels.json), or none to compare with the original");
        var paths = runners.Select(runner => data.Inputs.Select(input => CtcGreedyDecoder.BestPath(runner.Run(input))).ToList()).ToList();
        if (data.Texts is not { } texts)
        {
            return paths.Select(path => new AccuracyScore(
                (double)path.Where((sequence, i) => sequence.AsSpan().SequenceEqual(paths[0][i])).Count() / data.Count,
                AccuracyMetric.TextAgreement)).ToList();
        }
        if (charset is null)
            throw new CompressionException(DiagnosticCodes.DataRequired, "", DataRequiredMessages.Charset(classCount));
        if (texts.Sum(text => text.Length) == 0)
            throw new DataFileException(data.Sources[0], "the text labels are all empty", "at least one label with characters", "none");
        var decoder = new CtcGreedyDecoder(charset.ClassesFor(classCount));
        return paths.Select(path =>
        {
            var report = TextRecognitionEvaluator.Score(path.Select(decoder.Text).ToList(), texts);
            var text = new TextAccuracy(report.CharacterErrorRate, report.CaseInsensitiveCharacterErrorRate, (double)report.ExactMatches / report.Count);
            // CER counts insertions too and can pass 1; an accuracy below nothing means nothing, so it stops at 0.
            return new AccuracyScore(Math.Max(0, 1 - report.CharacterErrorRate), AccuracyMetric.CharacterAccuracy, Text: text);
        }).ToList();
    }
}
