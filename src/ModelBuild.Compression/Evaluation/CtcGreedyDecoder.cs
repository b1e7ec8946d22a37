namespace ModelBuild.Compression.Evaluation;

/// <summary>
/// Greedy CTC decoding of a recognizer's [1, T, C] scores: the best class per time step, repeats collapsed,
/// blanks (class 0) dropped.
/// </summary>
public sealed class CtcGreedyDecoder
{
    private readonly IReadOnlyList<string> classes;

    /// <param name="classes">Class strings by index; index 0 is the blank.</param>
    public CtcGreedyDecoder(IReadOnlyList<string> classes)
    {
        this.classes = classes;
    }

    public int ClassCount => classes.Count;

    /// <summary>PaddleOCR's character list: blank, then one character per line of the keys file, then a space.</summary>
    public static CtcGreedyDecoder FromPaddleOcrKeys(string keysPath) =>
        new(["", .. File.ReadAllLines(keysPath), " "]);

    public string Decode(ModelOutput output)
    {
        if (output.Shape.Length != 3 || output.Shape[0] != 1 || output.Shape[2] != classes.Count)
            throw new ArgumentException($"CTC decoding expects scores shaped [1, T, {classes.Count}], found [{string.Join(", ", output.Shape)}]", nameof(output));
        return Text(BestPath(output));
    }

    /// <summary>The class strings of decoded indices, concatenated.</summary>
    public string Text(IReadOnlyList<int> indices) => string.Concat(indices.Select(index => classes[index]));

    /// <summary>
    /// The decoded class indices of [1, T, C] scores, needing no charset: what two models are compared on when
    /// there are no text labels.
    /// </summary>
    public static int[] BestPath(ModelOutput output)
    {
        if (output.Shape.Length != 3 || output.Shape[0] != 1 || output.Shape[2] < 1)
            throw new ArgumentException($"CTC decoding expects scores shaped [1, T, C], found [{string.Join(", ", output.Shape)}]", nameof(output));
        var steps = (int)output.Shape[1];
        var classCount = (int)output.Shape[2];
        var path = new List<int>();
        var previous = -1;
        for (var t = 0; t < steps; t++)
        {
            var best = ClassificationEvaluator.ArgMax(output.Values.AsSpan(t * classCount, classCount));
            if (best != 0 && best != previous)
                path.Add(best);
            previous = best;
        }
        return path.ToArray();
    }
}
