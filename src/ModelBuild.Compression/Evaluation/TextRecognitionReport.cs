namespace ModelBuild.Compression.Evaluation;

/// <summary>A text recognizer's results: exact matches and character error rates, with every prediction.</summary>
public sealed record TextRecognitionReport(
    int Count,
    int ExactMatches,
    int TotalEditDistance,
    int CaseInsensitiveEditDistance,
    int ReferenceCharacters,
    IReadOnlyList<string> Predictions)
{
    /// <summary>Edit operations per reference character, summed over the whole set.</summary>
    public double CharacterErrorRate => (double)TotalEditDistance / ReferenceCharacters;

    /// <summary>
    /// The same with both sides lower-cased: scene-text benchmarks such as ICDAR 2015 ignore case, and so does the
    /// zoo's published 28.1% for PP-OCRv4 (whose exact-match count, 3 of 10, is case-sensitive).
    /// </summary>
    public double CaseInsensitiveCharacterErrorRate => (double)CaseInsensitiveEditDistance / ReferenceCharacters;
}
