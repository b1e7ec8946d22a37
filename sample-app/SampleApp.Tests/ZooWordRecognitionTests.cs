using ModelBuild.TestSupport;
using SampleApp.Recognition;
using SampleApp.Reporting;
using SkiaSharp;

namespace SampleApp.Tests;

/// <summary>
/// The zoo's ten labeled ICDAR2015 word crops: small, blurred scene text, much harder than rendered words.
/// The zoo README's fp32 baseline is 3/10 exact, CER 28.1%.
/// </summary>
public sealed class ZooWordRecognitionTests(LoadedRecognizers recognizers) : IClassFixture<LoadedRecognizers>
{
    /// <summary>
    /// How many more character errors (edit distance, over the crops' 64 characters: 1.6 CER points each) the
    /// calibrated int8 recognizer may make than fp32. As built (160 of WordImages' words) it makes none more; on 96,
    /// 128 or 256 words 1 to 3 more; with the backbone's first ten convolutions quantized as well, 3 and 7 more (96
    /// and 256 words); calibrated on clean black-on-white words, as before, 18 more, reading most crops as nothing.
    /// </summary>
    private const int MaxExtraCharacterErrors = 4;

    [ZooFact]
    public void Recognizers_read_the_zoo_words_near_the_baseline()
    {
        var fp32 = Read(recognizers.Variants.Fp32);
        var int8 = Read(recognizers.Variants.Int8);

        var report = Report(fp32, int8);
        Assert.True(fp32.Count(r => r.Expected == r.Found) >= 3, report);
        Assert.True(1 - Metrics.CharacterAccuracy(fp32) <= 0.40, report);
        Assert.True(Metrics.CharacterAccuracy(fp32) - Metrics.CharacterAccuracy(int8) <= 0.05, report);
    }

    [ZooFact]
    public void Calibrated_int8_reads_the_photographed_words_nearly_as_well_as_fp32()
    {
        var fp32 = Read(recognizers.Variants.Fp32);
        var calibrated = Read(recognizers.Variants.Int8Calibrated);

        var extraErrors = Errors(calibrated) - Errors(fp32);
        Assert.True(extraErrors <= MaxExtraCharacterErrors,
            $"int8-cal made {extraErrors} more character errors than fp32 (at most {MaxExtraCharacterErrors}): {Report(fp32, calibrated)}");
        Assert.All(calibrated, result => Assert.NotEqual("", result.Found));
    }

    /// <summary>Each crop's label and what <paramref name="recognizer"/> reads in it.</summary>
    private static List<(string Expected, string Found)> Read(WordRecognizer recognizer)
    {
        var folder = Zoo.PathOf("ocr", "rec-words");
        var labels = WordLabels.ReadBeside(Path.Combine(folder, "any.jpg"));
        Assert.Equal(10, labels.Count);

        var results = new List<(string Expected, string Found)>();
        foreach (var (path, expected) in labels)
        {
            using var image = SKBitmap.Decode(path);
            Assert.NotNull(image);
            results.Add((expected, recognizer.Recognize(image)));
        }
        return results;
    }

    private static int Errors(List<(string Expected, string Found)> results) =>
        results.Sum(result => Metrics.EditDistance(result.Expected, result.Found));

    private static string Report(List<(string Expected, string Found)> fp32, List<(string Expected, string Found)> other) =>
        string.Join(", ", fp32.Zip(other, (a, b) => $"{a.Expected}: {a.Found} / {b.Found}"));
}
