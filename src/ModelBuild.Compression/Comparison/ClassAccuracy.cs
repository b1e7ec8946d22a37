namespace ModelBuild.Compression.Comparison;

/// <summary>A model's top-1 on the inputs of one class (one folder, for a folder of class folders): the scanning paper's table by document type.</summary>
public sealed record ClassAccuracy(int Label, int Count, int Correct)
{
    public double Top1 => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>Per label, in label order: the inputs labelled so and how many of them <paramref name="predictions"/> got right.</summary>
    public static IReadOnlyList<ClassAccuracy> Of(IReadOnlyList<int> labels, IReadOnlyList<int> predictions) =>
        labels.Select((label, i) => (label, correct: predictions[i] == label))
            .GroupBy(x => x.label)
            .OrderBy(group => group.Key)
            .Select(group => new ClassAccuracy(group.Key, group.Count(), group.Count(x => x.correct)))
            .ToList();
}
