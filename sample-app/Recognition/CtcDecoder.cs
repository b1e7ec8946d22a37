using System.Text;

namespace SampleApp.Recognition;

/// <summary>
/// Greedy CTC decoding of the recognizer's [N, T, classes] scores: the best class per time step,
/// repeats collapsed, the blank (class 0) dropped.
/// </summary>
public sealed class CtcDecoder
{
    private readonly string[] _classes;

    /// <param name="characters">The dictionary, one character per entry (ppocr_keys_v1.txt).</param>
    public CtcDecoder(IReadOnlyList<string> characters)
    {
        // PaddleOCR's class list: blank, the dictionary, then the space it appends.
        _classes = ["", .. characters, " "];
    }

    public int ClassCount => _classes.Length;

    /// <summary>Reads a dictionary file: one character per line.</summary>
    public static CtcDecoder FromDictionary(TextReader dictionary)
    {
        var characters = new List<string>();
        while (dictionary.ReadLine() is { } line)
            characters.Add(line);
        return new CtcDecoder(characters);
    }

    /// <summary>Decodes one sequence: <paramref name="scores"/> holds <c>steps x ClassCount</c> values.</summary>
    public string Decode(ReadOnlySpan<float> scores)
    {
        if (scores.Length % _classes.Length != 0)
            throw new ArgumentException(
                $"Expected scores for a whole number of time steps of {_classes.Length} classes; found {scores.Length} values.",
                nameof(scores));

        var text = new StringBuilder();
        var previous = -1;
        for (var step = 0; step < scores.Length / _classes.Length; step++)
        {
            var best = ArgMax(scores.Slice(step * _classes.Length, _classes.Length));
            if (best != previous && best != 0)
                text.Append(_classes[best]);
            previous = best;
        }
        return text.ToString();
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }
        return best;
    }
}
