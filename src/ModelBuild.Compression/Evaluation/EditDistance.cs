namespace ModelBuild.Compression.Evaluation;

/// <summary>Levenshtein distance between two strings, by UTF-16 character (the PP-OCR alphabet is all in the BMP).</summary>
public static class EditDistance
{
    public static int Between(string reference, string hypothesis)
    {
        var previous = new int[hypothesis.Length + 1];
        var current = new int[hypothesis.Length + 1];
        for (var j = 0; j <= hypothesis.Length; j++) previous[j] = j;
        for (var i = 1; i <= reference.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= hypothesis.Length; j++)
            {
                var substitution = previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[hypothesis.Length];
    }
}
