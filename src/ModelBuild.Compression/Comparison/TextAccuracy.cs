namespace ModelBuild.Compression.Comparison;

/// <summary>
/// A CTC recognizer's scores on text labels beside its character accuracy: the character error rate (edit distance
/// over the labels' characters, case-sensitive; may exceed 1), the same ignoring case (scene-text benchmarks such as
/// ICDAR 2015 ignore case), and the fraction of inputs read exactly.
/// </summary>
public sealed record TextAccuracy(double CharacterErrorRate, double CaseInsensitiveCharacterErrorRate, double ExactWords);
