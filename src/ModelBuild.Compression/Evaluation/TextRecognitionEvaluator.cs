using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Evaluation;

/// <summary>Runs a CTC text recognizer over text-line images and scores it against the labels.</summary>
public static class TextRecognitionEvaluator
{
    public static TextRecognitionReport Evaluate(ModelRunner runner, IReadOnlyList<TextSample> samples, CtcGreedyDecoder decoder)
    {
        if (samples.Count == 0)
            throw new ArgumentException("no text samples to evaluate", nameof(samples));
        var predictions = samples.Select(sample => decoder.Decode(runner.Run(sample.Input))).ToList();
        return Score(predictions, samples.Select(sample => sample.Text).ToList());
    }

    /// <summary>Scores predicted texts against the expected ones, pair by pair.</summary>
    public static TextRecognitionReport Score(IReadOnlyList<string> predictions, IReadOnlyList<string> texts)
    {
        if (predictions.Count != texts.Count || texts.Count == 0)
            throw new ArgumentException($"scoring needs one prediction per text, found {predictions.Count} predictions for {texts.Count} texts", nameof(predictions));
        int exact = 0, distance = 0, caseInsensitiveDistance = 0, characters = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            if (predictions[i] == texts[i]) exact++;
            distance += EditDistance.Between(texts[i], predictions[i]);
            caseInsensitiveDistance += EditDistance.Between(texts[i].ToLowerInvariant(), predictions[i].ToLowerInvariant());
            characters += texts[i].Length;
        }
        return new TextRecognitionReport(texts.Count, exact, distance, caseInsensitiveDistance, characters, predictions);
    }
}
