using System.Globalization;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Tests.Accuracy;

namespace ModelBuild.Benchmarks;

/// <summary>
/// The zoo models with their labeled sets (see ../shared/zoo/README.md). The zoo has no separate training images,
/// so every <see cref="CalibrationStride"/>-th labeled input calibrates <c>int8</c> and the others, disjoint from
/// them, score every variant of the model.
/// </summary>
public static class ZooSubjects
{
    /// <summary>Every 20th input (5%) calibrates; spread over the set, so the class-sorted CIFAR-10 folders give every class.</summary>
    public const int CalibrationStride = 20;

    /// <summary>Latency is timed on this many inputs spread evenly over the labeled set (all of them when fewer).</summary>
    private const int LatencyInputCount = 100;

    public static IReadOnlyList<BenchmarkSubject> All() =>
    [
        Classifier(ZooModels.Mnist, "MNIST test set", withTop5: false, withInt8Full: true),
        Classifier(ZooModels.FashionMnist, "Fashion-MNIST test set", withTop5: false, withInt8Full: true),
        Classifier(ZooModels.Cifar10ResNet20, "CIFAR-10 test-2000", withTop5: false, withInt8Full: true),
        Classifier(ZooModels.FamilyBnCnn, "Fashion-MNIST test set", withTop5: false, withInt8Full: false),
        Classifier(ZooModels.FamilyBnCnnPruned, "Fashion-MNIST test set", withTop5: false, withInt8Full: false),
        Classifier(ZooModels.FamilyStudentKd, "Fashion-MNIST test set", withTop5: false, withInt8Full: false),
        // PyTorch's converted QAT export: int8 weights in Constant nodes, already quantized.
        Classifier(ZooModels.FamilyQat, "Fashion-MNIST test set", withTop5: false, withInt8Full: false),
        TextRecognizer(),
        // Already quantized: every recipe passes it through, so an int8-full row would repeat the int8 one.
        Classifier(ZooModels.ImageNetMobileNetV2Int8, "ILSVRC2012 val-500", withTop5: true, withInt8Full: false),
    ];

    private static BenchmarkSubject Classifier(ZooClassifier model, string labeledSet, bool withTop5, bool withInt8Full)
    {
        var evaluation = new Lazy<IReadOnlyList<LabeledTensor>>(() => model.LabeledSet.Where((_, i) => !Calibrates(i)).ToList());
        return new BenchmarkSubject(
            model.Name,
            model.ModelPath,
            $"{labeledSet} without its calibration inputs",
            runner =>
            {
                var report = ClassificationEvaluator.Evaluate(runner, evaluation.Value);
                var summary = withTop5 ? $"top-1 {Percent(report.Top1)}, top-5 {Percent(report.Top5)}" : $"top-1 {Percent(report.Top1)}";
                return new AccuracyMeasurement(Invariant($"{summary} ({evaluation.Value.Count:N0})"), report.Predictions.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList()) { Points = report.Top1 * 100 };
            },
            () => Spread(evaluation.Value.Select(sample => sample.Input).ToList()),
            () => model.LabeledSet.Where((_, i) => Calibrates(i)).Select(sample => sample.Input).ToList(),
            new StaticQuantizationOptions(),
            withInt8Full);
    }

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
                    report.Predictions) { Points = report.CaseInsensitiveCharacterErrorRate * 100, LowerIsBetter = true };
            },
            () => words.Value.Select(sample => sample.Input).ToList(),
            // Only 10 labeled crops exist: they calibrate too, so this row says what int8 loses, not how it generalizes.
            () => words.Value.Select(sample => sample.Input).ToList(),
            // The sample app's exclusions (sample-app/SampleApp.csproj): Add and Mul stay float (quantizing the SVTR
            // blocks' LayerNorm and attention arithmetic cost 7.8 CER points), and so do the first ten convolutions,
            // with percentile ranges; Conv and MatMul carry the weights.
            new StaticQuantizationOptions
            {
                ExcludeOps = new HashSet<string>(["Add", "Mul"], StringComparer.Ordinal),
                ExcludeNodes = Enumerable.Range(0, 10).Select(i => $"p2o.Conv.{i}").ToHashSet(StringComparer.Ordinal),
                CalibrationMethod = Compression.Calibration.CalibrationMethod.Percentile,
            });
    }

    public static bool Calibrates(int index) => index % CalibrationStride == CalibrationStride - 1;

    private static IReadOnlyList<ImageTensor> Spread(IReadOnlyList<ImageTensor> inputs)
    {
        var step = Math.Max(1, inputs.Count / LatencyInputCount);
        return inputs.Where((_, i) => i % step == 0).Take(LatencyInputCount).ToList();
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
