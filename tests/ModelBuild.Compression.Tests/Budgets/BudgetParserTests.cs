using ModelBuild.Compression.Budgets;

namespace ModelBuild.Compression.Tests.Budgets;

public sealed class BudgetParserTests
{
    [Theory]
    [InlineData("1%", 0.989 * 0.99)]
    [InlineData("0.5", 0.984)]
    [InlineData("0.5pt", 0.984)]
    [InlineData(" 2 PT ", 0.969)]
    [InlineData("0", 0.989)]
    public void Accuracy_drop_is_relative_with_a_percent_sign_and_in_points_otherwise(string text, double lowestAllowed)
    {
        var drop = BudgetParser.ParseAccuracyDrop(text, "m.onnx");

        Assert.Equal(lowestAllowed, drop.LowestAllowed(0.989), 9);
    }

    [Theory]
    [InlineData("250000", 250_000)]
    [InlineData("500KB", 512_000)]
    [InlineData("2MB", 2_097_152)]
    [InlineData("1.5 mib", 1_572_864)]
    [InlineData("1GB", 1_073_741_824)]
    [InlineData("100B", 100)]
    public void Sizes_are_bytes_or_powers_of_1024(string text, long bytes)
    {
        Assert.Equal(bytes, BudgetParser.ParseSize(text, "m.onnx"));
    }

    [Theory]
    [InlineData("MaxAccuracyDrop", "one percent")]
    [InlineData("MaxAccuracyDrop", "-1%")]
    [InlineData("MaxSize", "2 parsecs")]
    [InlineData("MaxSize", "0")]
    [InlineData("MaxSize", "MB")]
    [InlineData("MaxLatencyRatio", "fast")]
    [InlineData("MaxLatencyRatio", "-0.8")]
    public void Malformed_budgets_are_MB1015_naming_the_budget_and_the_allowed_forms(string budget, string text)
    {
        var error = Assert.Throws<CompressionException>(() => BudgetParser.Parse(
            budget == "MaxAccuracyDrop" ? text : null, budget == "MaxSize" ? text : null, budget == "MaxLatencyRatio" ? text : null, "m.onnx"));

        Assert.Equal("MB1015", error.Code);
        Assert.True(error.IsCommandLineProblem);
        Assert.Contains($"{budget} '{text}'", error.Message);
        Assert.Contains("expected", error.Message);
    }

    [Fact]
    public void Empty_strings_set_no_budget()
    {
        Assert.True(BudgetParser.Parse("", " ", null, "m.onnx").IsEmpty);
        Assert.Equal(0.8, BudgetParser.Parse(null, null, "0.8", "m.onnx").MaxLatencyRatio);
    }
}
