namespace SampleApp.Reporting;

/// <summary>Accuracy and timing figures the app prints.</summary>
public static class Metrics
{
    /// <summary>Levenshtein distance between two strings, in characters (case sensitive).</summary>
    public static int EditDistance(string expected, string found)
    {
        var previousRow = new int[found.Length + 1];
        var currentRow = new int[found.Length + 1];
        for (var j = 0; j <= found.Length; j++)
            previousRow[j] = j;

        for (var i = 1; i <= expected.Length; i++)
        {
            currentRow[0] = i;
            for (var j = 1; j <= found.Length; j++)
            {
                var substitution = previousRow[j - 1] + (expected[i - 1] == found[j - 1] ? 0 : 1);
                currentRow[j] = Math.Min(substitution, Math.Min(previousRow[j], currentRow[j - 1]) + 1);
            }
            (previousRow, currentRow) = (currentRow, previousRow);
        }
        return previousRow[found.Length];
    }

    /// <summary>1 - CER: one minus the total edit distance over the total length of the expected texts.</summary>
    public static double CharacterAccuracy(IReadOnlyList<(string Expected, string Found)> pairs)
    {
        var expectedCharacters = pairs.Sum(pair => pair.Expected.Length);
        if (expectedCharacters == 0)
            throw new ArgumentException("Character accuracy needs at least one expected character.", nameof(pairs));
        var errors = pairs.Sum(pair => EditDistance(pair.Expected, pair.Found));
        return 1.0 - (double)errors / expectedCharacters;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
