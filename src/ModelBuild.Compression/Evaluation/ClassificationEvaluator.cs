using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Evaluation;

/// <summary>Runs a classifier over labeled inputs, one at a time (batch 1), and scores the first output's scores.</summary>
public static class ClassificationEvaluator
{
    public static ClassificationReport Evaluate(ModelRunner runner, IReadOnlyList<LabeledTensor> data)
    {
        if (data.Count == 0)
            throw new ArgumentException("no labeled inputs to evaluate", nameof(data));
        var predictions = new int[data.Count];
        int top1 = 0, top5 = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var scores = runner.Run(data[i].Input).Values;
            var label = data[i].Label;
            if (label >= scores.Length)
                throw new ArgumentException($"input {i} has label {label}, but the model's output {runner.OutputName} has only {scores.Length} classes", nameof(data));
            predictions[i] = ArgMax(scores);
            // Top-5: fewer than five classes score strictly higher than the label.
            var higher = scores.Count(score => score > scores[label]);
            if (predictions[i] == label) top1++;
            if (higher < 5) top5++;
        }
        return new ClassificationReport(data.Count, top1, top5, predictions);
    }

    /// <summary>The index of the highest value; the first one on ties, as numpy's argmax.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
