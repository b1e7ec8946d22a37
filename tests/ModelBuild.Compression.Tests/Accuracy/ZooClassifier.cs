using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Tests.Accuracy;

/// <summary>A zoo classifier: its model file and its labeled set, preprocessed as the zoo README says.</summary>
public sealed class ZooClassifier(string name, string modelPath, Func<IReadOnlyList<LabeledTensor>> loadLabeledSet)
{
    private readonly Lazy<IReadOnlyList<LabeledTensor>> labeledSet = new(loadLabeledSet);

    public string Name { get; } = name;

    public string ModelPath { get; } = modelPath;

    /// <summary>Loaded once per process: decoding thousands of images is the slow part of an evaluation.</summary>
    public IReadOnlyList<LabeledTensor> LabeledSet => labeledSet.Value;

    public override string ToString() => Name;
}
