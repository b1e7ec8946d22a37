using SampleApp.Reporting;

namespace SampleApp.Tests;

public sealed class MetricsTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("HOTEL", "HOTEL", 0)]
    [InlineData("HOTEL", "", 5)]
    [InlineData("", "abc", 3)]
    [InlineData("DAVIDSON", "Davidson", 7)]
    [InlineData("PACIFIC", "PACIRC", 2)]
    public void Edit_distance_counts_insertions_deletions_and_substitutions(string expected, string found, int distance)
    {
        Assert.Equal(distance, Metrics.EditDistance(expected, found));
        Assert.Equal(distance, Metrics.EditDistance(found, expected));
    }

    [Fact]
    public void Character_accuracy_pools_errors_over_all_expected_characters()
    {
        // 1 error in "HOTEL" and 0 in "GRAND": 1 of 10 characters wrong.
        var accuracy = Metrics.CharacterAccuracy([("HOTEL", "LOTEL"), ("GRAND", "GRAND")]);
        Assert.Equal(0.9, accuracy, 10);
    }

    [Fact]
    public void Character_accuracy_needs_expected_text()
    {
        Assert.Throws<ArgumentException>(() => Metrics.CharacterAccuracy([("", "x")]));
    }

    [Fact]
    public void Median_of_odd_and_even_counts()
    {
        Assert.Equal(3, Metrics.Median([5, 1, 3]));
        Assert.Equal(2.5, Metrics.Median([4, 1, 3, 2]));
        Assert.Throws<ArgumentException>(() => Metrics.Median([]));
    }
}
