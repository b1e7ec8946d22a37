using System.Globalization;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Tests.Accuracy;

namespace ModelBuild.Benchmarks;

/// <summary>The zoo models with their labeled sets (see ../shared/zoo/README.md).</summary>
public static class ZooSubjects
{
    /// <summary>Latency is timed on this many inputs spread evenly over the labeled set (all of them when fewer).</summary>
    private const int LatencyInputCount = 100;

    public static IReadOnlyList<BenchmarkSubject> All() =>
    [
        Classifier(ZooModels.Mnist, "MNIST test set, 10,000", withTop5: false),
        Classifier(ZooModels.FashionMnist, "Fashion-MNIST test set, 10,000", withTop5: false),
        Classifier(ZooModels.Cifar10ResNet20, "CIFAR-10 test-2000 (200 per class)", withTop5: false),
        TextRecognizer(),
        Classifier(ZooModels.ImageNetMobileNetV2Int8, "ILSVRC2012 val-500", withTop5: true),
    ];

    private static BenchmarkSubject Classifier(ZooClassifier model, string labeledSet, bool withTop5) => new(
        model.Name,
        model.ModelPath,
        labeledSet,
        runner =>
        {
            var report = ClassificationEvaluator.Evaluate(runner, model.LabeledSet);
            var summary = withTop5 ? $"top-1 {Percent(report.Top1)}, top-5 {Percent(report.Top5)}" : $"top-1 {Percent(report.Top1)}";
            return new AccuracyMeasurement(summary, report.Predictions.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList());
        },
        () => Spread(model.LabeledSet.Select(sample => sample.Input).ToList()));

    private static BenchmarkSubject TextRecognizer()
    {
        var words = new Lazy<IReadOnlyList<TextSample>>(ZooModels.OcrWords);
        var decoder = ZooModels.OcrDecoder();
        return new BenchmarkSubject(
            "ocr-rec (PP-OCRv4)",
            ZooModels.OcrRecognizerPath,
            "rec-words, 10 word crops",
            runner =>
            {
                var report = TextRecognitionEvaluator.Evaluate(runner, words.Value, decoder);
                return new AccuracyMeasurement(
                    $"CER {Percent(report.CaseInsensitiveCharacterErrorRate)} (case-insensitive; {Percent(report.CharacterErrorRate)} case-sensitive), {report.ExactMatches}/{report.Count} exact",
                    report.Predictions);
            },
            () => words.Value.Select(sample => sample.Input).ToList());
    }

    private static IReadOnlyList<ImageTensor> Spread(IReadOnlyList<ImageTensor> inputs)
    {
        var step = Math.Max(1, inputs.Count / LatencyInputCount);
        return inputs.Where((_, i) => i % step == 0).Take(LatencyInputCount).ToList();
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
