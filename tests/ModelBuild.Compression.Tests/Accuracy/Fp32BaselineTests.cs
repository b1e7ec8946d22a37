using ModelBuild.Compression.Evaluation;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Accuracy;

/// <summary>
/// The zoo's published fp32 baselines, reproduced through our readers, preprocessing and evaluator before any
/// compressed model is compared with them: a wrong reader or preprocessing shows up here, not as a "compression loss".
/// </summary>
public sealed class Fp32BaselineTests
{
    [ZooFact]
    public void Mnist_all_10000_test_images_reach_the_published_98_90_percent()
    {
        var report = Fp32Reports.Of(ZooModels.Mnist);

        Assert.Equal(10_000, report.Count);
        Assert.Equal(9_890, report.Top1Correct);
    }

    [ZooFact]
    public void Fashion_mnist_all_10000_test_images_reach_the_published_89_70_percent()
    {
        var report = Fp32Reports.Of(ZooModels.FashionMnist);

        Assert.Equal(10_000, report.Count);
        Assert.Equal(8_970, report.Top1Correct);
    }

    [ZooFact]
    public void Cifar10_resnet20_on_the_2000_image_subset_is_near_the_published_81_39_percent_of_the_full_set()
    {
        var report = Fp32Reports.Of(ZooModels.Cifar10ResNet20);

        Assert.Equal(2_000, report.Count);
        // The published figure is on all 10,000 images; a 2,000-image sample of JPEG re-encodes lands within a few points.
        Assert.InRange(report.Top1, 0.78, 0.85);
    }

    [ZooFact]
    public void Ocr_recognizer_reads_the_10_word_crops_with_the_published_3_exact_and_28_1_percent_case_insensitive_cer()
    {
        using var runner = ModelRunner.Open(File.ReadAllBytes(ZooModels.OcrRecognizerPath));
        var decoder = ZooModels.OcrDecoder();
        Assert.Equal(6_625, decoder.ClassCount);

        var report = TextRecognitionEvaluator.Evaluate(runner, ZooModels.OcrWords(), decoder);

        Assert.Equal(10, report.Count);
        Assert.Equal(3, report.ExactMatches);
        Assert.Equal(0.281, report.CaseInsensitiveCharacterErrorRate, 0.001);
    }
}
