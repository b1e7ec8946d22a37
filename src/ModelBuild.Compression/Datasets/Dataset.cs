using ModelBuild.Compression.Data;

namespace ModelBuild.Compression.Datasets;

/// <summary>
/// Preprocessed model inputs (batch 1 each), the file each came from (for messages), and their class labels when
/// the data had labels, or their texts for a text recognizer.
/// </summary>
public sealed record Dataset(IReadOnlyList<ImageTensor> Inputs, IReadOnlyList<string> Sources, IReadOnlyList<int>? Labels)
{
    /// <summary>The text each input shows, for a CTC text recognizer (<see cref="Labels"/> is null then).</summary>
    public IReadOnlyList<string>? Texts { get; init; }

    public int Count => Inputs.Count;

    public bool HasLabels => Labels is not null;

    public bool HasTexts => Texts is not null;

    public IReadOnlyList<LabeledTensor> WithLabels(IReadOnlyList<int> labels) =>
        Inputs.Select((input, i) => new LabeledTensor(input, labels[i])).ToList();
}
