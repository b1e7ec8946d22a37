using ModelBuild.TestSupport;
using SampleApp.Reporting;
using SkiaSharp;

namespace SampleApp.Tests;

/// <summary>
/// The zoo's ten labeled ICDAR2015 word crops: small, blurred scene text, much harder than rendered words.
/// The zoo README's fp32 baseline is 3/10 exact, CER 28.1%.
/// </summary>
public sealed class ZooWordRecognitionTests(LoadedRecognizers recognizers) : IClassFixture<LoadedRecognizers>
{
    [ZooFact]
    public void Recognizers_read_the_zoo_words_near_the_baseline()
    {
        var folder = Zoo.PathOf("ocr", "rec-words");
        var labels = WordLabels.ReadBeside(Path.Combine(folder, "any.jpg"));
        Assert.Equal(10, labels.Count);

        var fp32 = new List<(string Expected, string Found)>();
        var int8 = new List<(string Expected, string Found)>();
        foreach (var (path, expected) in labels)
        {
            using var image = SKBitmap.Decode(path);
            Assert.NotNull(image);
            fp32.Add((expected, recognizers.Variants.Fp32.Recognize(image)));
            int8.Add((expected, recognizers.Variants.Int8.Recognize(image)));
        }

        var report = string.Join(", ", fp32.Zip(int8, (a, b) => $"{a.Expected}: {a.Found} / {b.Found}"));
        Assert.True(fp32.Count(r => r.Expected == r.Found) >= 3, report);
        Assert.True(1 - Metrics.CharacterAccuracy(fp32) <= 0.40, report);
        Assert.True(Metrics.CharacterAccuracy(fp32) - Metrics.CharacterAccuracy(int8) <= 0.05, report);
    }
}
