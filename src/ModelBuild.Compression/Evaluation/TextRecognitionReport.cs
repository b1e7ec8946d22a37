namespace ModelBuild.Compression.Evaluation;

/// <summary>A text recognizer's results: exact matches and the character error rate, with every prediction.</summary>
public sealed record TextRecognitionReport(int Count, int ExactMatches, int TotalEditDistance, int ReferenceCharacters, IReadOnlyList<string> Predictions)
{
    /// <summary>Edit operations per reference character, summed over the whole set.</summary>
    public double CharacterErrorRate => (double)TotalEditDistance / ReferenceCharacters;
}
