using ModelBuild.Compression.Evaluation;

namespace ModelBuild.Compression.Tests.Accuracy.Evaluation;

public sealed class TextRecognitionTests
{
    private readonly CtcGreedyDecoder decoder = new(["", "a", "b", "c"]);

    [Fact]
    public void Greedy_ctc_collapses_repeats_and_drops_blanks_but_keeps_repeats_split_by_a_blank()
    {
        // Best classes per step: a a _ a b b _ c
        int[] best = [1, 1, 0, 1, 2, 2, 0, 3];

        var text = decoder.Decode(OneHot(best));

        Assert.Equal("aabc", text);
    }

    [Fact]
    public void Scores_of_the_wrong_shape_are_refused_with_the_shape_found()
    {
        var error = Assert.Throws<ArgumentException>(() => decoder.Decode(new ModelOutput(new float[10], [1, 2, 5])));

        Assert.Contains("[1, T, 4], found [1, 2, 5]", error.Message);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("same", "same", 0)]
    public void Edit_distance_is_levenshtein(string reference, string hypothesis, int expected)
    {
        Assert.Equal(expected, EditDistance.Between(reference, hypothesis));
    }

    private static ModelOutput OneHot(int[] best)
    {
        var values = new float[best.Length * 4];
        for (var t = 0; t < best.Length; t++) values[(t * 4) + best[t]] = 1f;
        return new ModelOutput(values, [1, best.Length, 4]);
    }
}
