using System.Diagnostics;
using ModelBuild.Runtime;
using SampleApp.Imaging;
using SampleApp.Reporting;
using SkiaSharp;

namespace SampleApp.Recognition;

/// <summary>
/// One variant of the recognizer: a generated ModelBuild class behind <paramref name="runModel"/>, which takes
/// the [1, 3, 48, width] pixels and the width and returns the [1, steps, classes] scores.
/// </summary>
public sealed class WordRecognizer(string name, ModelInfo info, Func<float[], int, float[]> runModel, CtcDecoder decoder)
{
    public string Name { get; } = name;

    /// <summary>What ModelBuild embedded: recipe, original and stored sizes.</summary>
    public ModelInfo Info { get; } = info;

    public string Recognize(SKBitmap wordImage)
    {
        var (pixels, width) = RecognizerPreprocessing.ToTensor(wordImage);
        return decoder.Decode(runModel(pixels, width));
    }

    /// <summary>Recognizes <paramref name="wordImage"/> <paramref name="runs"/> times after one warm-up call.</summary>
    /// <returns>The text and the median time of one recognition (preprocessing, model, decoding).</returns>
    public (string Text, double MedianMilliseconds) RecognizeTimed(SKBitmap wordImage, int runs)
    {
        var text = Recognize(wordImage);
        var milliseconds = new List<double>(runs);
        for (var run = 0; run < runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            Recognize(wordImage);
            milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return (text, Metrics.Median(milliseconds));
    }
}
