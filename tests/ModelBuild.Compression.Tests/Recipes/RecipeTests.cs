namespace ModelBuild.Compression.Tests.Recipes;

public sealed class RecipeTests
{
    [Theory]
    [InlineData("none", "none")]
    [InlineData("fp16", "fp16")]
    [InlineData("FP16", "fp16")]
    [InlineData(" int8-dynamic ", "int8-dynamic")]
    [InlineData("INT8-Full", "int8-full")]
    [InlineData("huffman", "huffman")]
    [InlineData("none+huffman", "huffman")]
    [InlineData(" Int8 + HUFFMAN ", "int8+huffman")]
    [InlineData("int8-dynamic+huffman", "int8-dynamic+huffman")]
    public void Parse_accepts_known_names_case_insensitively(string text, string expected)
    {
        Assert.Equal(expected, Recipe.Parse(text).Name);
    }

    [Theory]
    [InlineData("int5")]
    [InlineData("")]
    [InlineData("fp32")]
    public void Parse_rejects_unknown_names_with_MB1005_listing_the_known_ones(string text)
    {
        var error = Assert.Throws<RecipeException>(() => Recipe.Parse(text));

        Assert.Equal("MB1005", error.Code);
        Assert.Contains($"unknown recipe '{text}': ", error.Message);
        foreach (var known in Recipe.All)
            Assert.Contains(known.Name, error.Message);
    }

    [Theory]
    [InlineData("huffman+int8", "'int8' (weight representation) comes after 'huffman' (packing); steps go in the order preparation, graph surgery, weight representation, weight sharing, packing")]
    [InlineData("int8+huffman+huffman", "'huffman' appears twice")]
    [InlineData("auto+huffman", "'auto' searches over recipes and stands alone")]
    [InlineData("int8+fp16", "'int8' and 'fp16' both choose how the weights are stored; use one")]
    [InlineData("none+fp16", "'none' and 'fp16' both choose how the weights are stored")]
    [InlineData("huffman+none", "'none' (weight representation) comes after 'huffman' (packing)")]
    [InlineData("fp16+hoist-constants", "'hoist-constants' (preparation) comes after 'fp16' (weight representation)")]
    [InlineData("prune:0.7+shrink:5+huffman", "'shrink' is not a recipe step")]
    [InlineData("int8+", "a step is empty")]
    [InlineData(":0.5+huffman", "':0.5' has no step name")]
    public void Parse_rejects_bad_compositions_with_MB1005_saying_why(string text, string reason)
    {
        var error = Assert.Throws<RecipeException>(() => Recipe.Parse(text));

        Assert.Equal("MB1005", error.Code);
        Assert.Contains($"unknown recipe '{text}': {reason}", error.Message);
        Assert.Contains(reason, error.Reason);
    }

    [Theory]
    [InlineData("huffman", "none", false)]
    [InlineData("fp16+huffman", "fp16", false)]
    [InlineData("int8+huffman", "int8", true)]
    [InlineData("int8-full+huffman", "int8-full", true)]
    public void A_packed_recipe_names_its_base_and_needs_what_the_base_needs(string text, string baseName, bool needsCalibration)
    {
        var recipe = Recipe.Parse(text);

        Assert.True(recipe.IsPacked);
        Assert.Equal(baseName, recipe.Base.Name);
        Assert.False(recipe.Base.IsPacked);
        Assert.Equal(needsCalibration, recipe.NeedsCalibrationData);
    }

    [Fact]
    public void Parsed_recipes_compare_equal_to_the_named_instances()
    {
        Assert.Equal(Recipe.Int8Dynamic, Recipe.Parse("int8-dynamic"));
        Assert.Equal(Recipe.Huffman, Recipe.Parse("none+huffman"));
        Assert.NotEqual(Recipe.Float16, Recipe.Parse("none"));
        Assert.NotEqual(Recipe.Int8, Recipe.Parse("int8+huffman"));
        Assert.False(Recipe.Int8.IsPacked);
    }
}
