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
}
