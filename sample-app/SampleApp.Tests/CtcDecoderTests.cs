using SampleApp.Recognition;

namespace SampleApp.Tests;

public sealed class CtcDecoderTests
{
    // Classes: 0 blank, 1 'a', 2 'b', 3 'c', 4 space.
    private readonly CtcDecoder _decoder = CtcDecoder.FromDictionary(new StringReader("a\nb\nc"));

    [Fact]
    public void Classes_are_blank_then_dictionary_then_space()
    {
        Assert.Equal(5, _decoder.ClassCount);
        Assert.Equal("abc ", _decoder.Decode(Scores(1, 2, 3, 4)));
    }

    [Fact]
    public void Repeats_collapse_and_blanks_drop()
    {
        Assert.Equal("ab", _decoder.Decode(Scores(1, 1, 0, 2, 2, 0)));
    }

    [Fact]
    public void A_blank_between_equal_classes_keeps_both()
    {
        Assert.Equal("aa", _decoder.Decode(Scores(1, 0, 1)));
    }

    [Fact]
    public void Only_blanks_decode_to_nothing()
    {
        Assert.Equal("", _decoder.Decode(Scores(0, 0, 0)));
    }

    [Fact]
    public void Scores_that_are_not_whole_steps_are_rejected_with_the_counts()
    {
        var exception = Assert.Throws<ArgumentException>(() => _decoder.Decode(new float[7]));
        Assert.Contains("5 classes", exception.Message);
        Assert.Contains("found 7 values", exception.Message);
    }

    /// <summary>One time step per class index, that class scoring highest.</summary>
    private float[] Scores(params int[] bestClassPerStep)
    {
        var scores = new float[bestClassPerStep.Length * _decoder.ClassCount];
        for (var step = 0; step < bestClassPerStep.Length; step++)
        {
            for (var c = 0; c < _decoder.ClassCount; c++)
                scores[step * _decoder.ClassCount + c] = 0.1f;
            scores[step * _decoder.ClassCount + bestClassPerStep[step]] = 0.6f;
        }
        return scores;
    }
}
