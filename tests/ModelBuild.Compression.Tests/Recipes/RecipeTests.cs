namespace ModelBuild.Compression.Tests.Recipes;

public sealed class RecipeTests
{
    [Theory]
    [InlineData("none", "none")]
    [InlineData("fp16", "fp16")]
    [InlineData("FP16", "fp16")]
    [InlineData(" int8-dynamic ", "int8-dynamic")]
    [InlineData("INT8-Full", "int8-full")]
    public void Parse_accepts_known_names_case_insensitively(string text, string expected)
    {
        Assert.Equal(expected, Recipe.Parse(text).Name);
    }

    [Theory]
    [InlineData("int4")]
    [InlineData("")]
    [InlineData("fp32")]
    public void Parse_rejects_unknown_names_with_MB1005_listing_the_known_ones(string text)
    {
        var error = Assert.Throws<RecipeException>(() => Recipe.Parse(text));

        Assert.Equal("MB1005", error.Code);
        Assert.Contains($"'{text}'", error.Message);
        foreach (var known in Recipe.Known)
            Assert.Contains(known.Name, error.Message);
    }

    [Fact]
    public void Parsed_recipes_compare_equal_to_the_named_instances()
    {
        Assert.Equal(Recipe.Int8Dynamic, Recipe.Parse("int8-dynamic"));
        Assert.NotEqual(Recipe.Float16, Recipe.Parse("none"));
    }
}
