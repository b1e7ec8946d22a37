using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Accuracy;

/// <summary>
/// What the lossy recipes cost on real models and full labeled sets (MNIST and Fashion-MNIST 10,000 test images
/// each, CIFAR-10 the zoo's 2,000): at most one point of top-1 against fp32 measured in the same run; and for the
/// PP-OCRv4 recognizer, the character error rate on the zoo's 10 word crops.
/// The whole class took 80 s on 2 cores in a Debug build, so the full sets are kept rather than a subset.
/// </summary>
public sealed class RecipeAccuracyTests
{
    private const double MaxTop1DropPoints = 1.0;

    public static TheoryData<string, string> ModelsAndRecipes { get; } = new()
    {
        { "mnist", "fp16" },
        { "mnist", "int8-dynamic" },
        { "fashion-mnist", "fp16" },
        { "fashion-mnist", "int8-dynamic" },
        { "cifar10-resnet20", "fp16" },
        { "cifar10-resnet20", "int8-dynamic" },
    };

    [ZooTheory]
    [MemberData(nameof(ModelsAndRecipes))]
    public void Recipe_loses_at_most_one_point_of_top1_and_stores_fewer_bytes(string modelName, string recipeName)
    {
        var model = Classifiers.Single(candidate => candidate.Name == modelName);
        var original = File.ReadAllBytes(model.ModelPath);

        var result = ModelCompressor.Compress(OnnxModelFile.Parse(original, model.ModelPath), Recipe.Parse(recipeName));
        var compressed = OnnxModelFile.ToBytes(result.Model);
        var fp32 = Fp32Reports.Of(model);
        var report = Fp32Reports.Evaluate(compressed, model);

        Assert.Empty(result.Warnings);
        Assert.True(compressed.Length < original.Length, $"{recipeName} stored {compressed.Length} bytes, the original has {original.Length}");
        var dropPoints = (fp32.Top1 - report.Top1) * 100;
        Assert.True(dropPoints <= MaxTop1DropPoints,
            $"{modelName} {recipeName}: top-1 {report.Top1:P2} against fp32 {fp32.Top1:P2} on {report.Count} images, a drop of {dropPoints:F2} points (at most {MaxTop1DropPoints})");
    }

    [ZooTheory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    public void Already_quantized_mobilenet_passes_through_with_identical_predictions_on_500_images(string recipeName)
    {
        var model = ZooModels.ImageNetMobileNetV2Int8;
        var original = File.ReadAllBytes(model.ModelPath);

        var result = ModelCompressor.Compress(OnnxModelFile.Parse(original, model.ModelPath), Recipe.Parse(recipeName));
        var fp32 = Fp32Reports.Of(model);
        var report = Fp32Reports.Evaluate(OnnxModelFile.ToBytes(result.Model), model);

        Assert.Contains(result.Warnings, warning => warning.Code == "MB2001");
        Assert.Equal(1.0, report.AgreementWith(fp32));
    }

    [ZooTheory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    public void Ocr_recognizer_cer_on_the_10_word_crops_rises_at_most_5_points(string recipeName)
    {
        // 10 words hold 64 characters, so one character more or less wrong moves the CER by 1.6 points.
        const double maxCerRisePoints = 5.0;
        var original = File.ReadAllBytes(ZooModels.OcrRecognizerPath);
        var words = ZooModels.OcrWords();
        var decoder = ZooModels.OcrDecoder();

        var result = ModelCompressor.Compress(OnnxModelFile.Parse(original, ZooModels.OcrRecognizerPath), Recipe.Parse(recipeName));
        var fp32 = EvaluateText(original, words, decoder);
        var report = EvaluateText(OnnxModelFile.ToBytes(result.Model), words, decoder);

        Assert.Empty(result.Warnings);
        var risePoints = (report.CaseInsensitiveCharacterErrorRate - fp32.CaseInsensitiveCharacterErrorRate) * 100;
        Assert.True(risePoints <= maxCerRisePoints,
            $"{recipeName}: CER {report.CaseInsensitiveCharacterErrorRate:P1} against fp32 {fp32.CaseInsensitiveCharacterErrorRate:P1}, predictions: {string.Join(" | ", report.Predictions)}");
    }

    private static IEnumerable<ZooClassifier> Classifiers => [ZooModels.Mnist, ZooModels.FashionMnist, ZooModels.Cifar10ResNet20];

    private static TextRecognitionReport EvaluateText(byte[] modelBytes, IReadOnlyList<TextSample> words, CtcGreedyDecoder decoder)
    {
        using var runner = ModelRunner.Open(modelBytes);
        return TextRecognitionEvaluator.Evaluate(runner, words, decoder);
    }
}
