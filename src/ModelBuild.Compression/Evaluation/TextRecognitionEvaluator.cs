using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Evaluation;

/// <summary>Runs a CTC text recognizer over text-line images and scores it against the labels.</summary>
public static class TextRecognitionEvaluator
{
    public static TextRecognitionReport Evaluate(ModelRunner runner, IReadOnlyList<TextSample> samples, CtcGreedyDecoder decoder)
    {
        if (samples.Count == 0)
            throw new ArgumentException("no text samples to evaluate", nameof(samples));
        var predictions = new string[samples.Count];
        int exact = 0, distance = 0, caseInsensitiveDistance = 0, characters = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            predictions[i] = decoder.Decode(runner.Run(samples[i].Input));
            if (predictions[i] == samples[i].Text) exact++;
            distance += EditDistance.Between(samples[i].Text, predictions[i]);
            caseInsensitiveDistance += EditDistance.Between(samples[i].Text.ToLowerInvariant(), predictions[i].ToLowerInvariant());
            characters += samples[i].Text.Length;
        }
        return new TextRecognitionReport(samples.Count, exact, distance, caseInsensitiveDistance, characters, predictions);
    }
}
