using ModelBuild.Tasks.Compression;

namespace ModelBuild.Compression.Tests.Recipes;

/// <summary>The MSBuild task keeps its own copy of the recipe list (it cannot reference this library); they must agree.</summary>
public sealed class RecipeListTests
{
    [Fact]
    public void The_task_accepts_exactly_the_recipes_the_cli_parses()
    {
        Assert.Equal(Recipe.All.Select(r => r.Name), CompressionRecipes.Known);
    }

    [Fact]
    public void The_task_asks_for_calibration_data_exactly_where_the_recipe_needs_it()
    {
        Assert.All(Recipe.All, recipe => Assert.Equal(recipe.NeedsCalibrationData, CompressionRecipes.NeedsCalibrationData(recipe.Name)));
    }

    [Theory]
    [InlineData("int8+huffman")]
    [InlineData(" INT8 + Huffman ")]
    [InlineData("none+huffman")]
    [InlineData("None + HUFFMAN")]
    [InlineData("huffman")]
    [InlineData("fp16+huffman")]
    [InlineData("int8-full+huffman")]
    [InlineData("huffman+int8")]
    [InlineData("huffman+huffman")]
    [InlineData("int8+huffman+huffman")]
    [InlineData("auto+huffman")]
    [InlineData("int8+fp16")]
    [InlineData("prune:0.7+cluster:5+huffman")]
    [InlineData("int8+")]
    [InlineData("+huffman")]
    [InlineData("")]
    public void The_task_normalizes_a_composition_as_the_cli_parses_it(string text)
    {
        string? parsed;
        try
        {
            parsed = Recipe.Parse(text).Name;
        }
        catch (RecipeException)
        {
            parsed = null;
        }

        Assert.Equal(parsed, CompressionRecipes.Normalize(text));
    }
}
