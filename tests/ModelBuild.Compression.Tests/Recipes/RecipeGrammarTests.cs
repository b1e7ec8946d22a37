namespace ModelBuild.Compression.Tests.Recipes;

/// <summary>The recipe grammar (ModelBuild.Contracts/Recipes): parameters, their ranges, order classes and the preparation the pipeline inserts.</summary>
public sealed class RecipeGrammarTests
{
    [Theory]
    [InlineData("int8:entropy", "int8", "int8:entropy")]
    [InlineData(" INT8 : Percentile : 99.90 + Huffman", "int8+huffman", "int8:percentile:99.9+huffman")]
    [InlineData("int8-full:minmax", "int8-full", "int8-full:minmax")]
    [InlineData("upgrade-opset:13+fold-batchnorm+int8", "upgrade-opset+fold-batchnorm+int8", "upgrade-opset:13+fold-batchnorm+int8")]
    [InlineData("fold-reshapes+hoist-constants+fp16", "fold-reshapes+hoist-constants+fp16", "fold-reshapes+hoist-constants+fp16")]
    [InlineData("hoist-constants", "hoist-constants", "hoist-constants")]
    [InlineData("none+huffman", "huffman", "huffman")]
    [InlineData("auto", "auto", "auto")]
    public void Parameters_are_canonical_in_the_text_and_left_out_of_the_name(string text, string name, string canonical)
    {
        var recipe = Recipe.Parse(text);

        Assert.Equal(name, recipe.Name);
        Assert.Equal(canonical, recipe.Text);
        Assert.Equal(recipe, Recipe.Parse(recipe.Text));
    }

    [Theory]
    [InlineData("int8:kl", "'int8' parameter 'kl' is not a calibration; expected calibration: minmax|percentile|entropy (default minmax)")]
    [InlineData("int8:percentile:49.9", "'int8' parameter percentile 49.9 is outside 50 to 100; expected percentile: a number from 50 to 100 (default 99.99)")]
    [InlineData("int8:percentile:100.5", "percentile 100.5 is outside 50 to 100")]
    [InlineData("int8:percentile:high", "'int8' parameter 'high' is not a number")]
    [InlineData("int8:percentile:NaN", "'NaN' is not a number")]
    [InlineData("int8:minmax:99:1", "'int8' takes at most 2 (calibration, percentile), found 3 in 'int8:minmax:99:1'")]
    [InlineData("int8:entropy:99.9", "'int8' parameter percentile applies only with calibration percentile, found calibration entropy")]
    [InlineData("int8:", "'int8' parameter calibration is empty")]
    [InlineData("fp16:0.5", "'fp16' takes no parameters, found 1")]
    [InlineData("none:1", "'none' takes no parameters")]
    [InlineData("upgrade-opset:14+int8", "opset 14 is outside 1 to 13")]
    [InlineData("upgrade-opset:12.5", "'12.5' is not a whole number")]
    [InlineData("upgrade-opset:11+int8", "'upgrade-opset:11' stops below opset 13, which 'int8' needs")]
    [InlineData("fold-batchnorm+fold-batchnorm+int8", "'fold-batchnorm' appears twice")]
    public void A_bad_parameter_is_MB1005_saying_what_was_found_and_what_is_expected(string text, string reason)
    {
        var error = Assert.Throws<RecipeException>(() => Recipe.Parse(text));

        Assert.Equal("MB1005", error.Code);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void The_message_lists_every_step_with_its_order_class_and_parameters()
    {
        var error = Assert.Throws<RecipeException>(() => Recipe.Parse("int5"));

        foreach (var step in RecipeSteps.All)
            Assert.Contains($"{step.Usage} ({RecipeSteps.Words(step.Order)}", error.Message);
        Assert.Contains("in the order preparation, graph surgery, weight representation (at most one), weight sharing, packing", error.Message);
    }

    [Theory]
    [InlineData("int8", "upgrade-opset+hoist-constants+fold-reshapes+fold-batchnorm+int8")]
    [InlineData("int8-full:entropy+huffman", "upgrade-opset+hoist-constants+fold-reshapes+fold-batchnorm+int8-full:entropy+huffman")]
    [InlineData("fp16", "hoist-constants+fold-reshapes+fp16")]
    [InlineData("int8-dynamic+huffman", "hoist-constants+fold-reshapes+int8-dynamic+huffman")]
    [InlineData("fold-batchnorm+hoist-constants+int8", "upgrade-opset+hoist-constants+fold-reshapes+fold-batchnorm+int8")]
    [InlineData("upgrade-opset:12+fp16", "upgrade-opset:12+hoist-constants+fold-reshapes+fp16")]
    [InlineData("fold-batchnorm", "fold-batchnorm")]
    [InlineData("huffman", "huffman")]
    [InlineData("none", "")]
    public void Preparation_runs_first_once_in_the_grammars_order_named_or_needed(string text, string expected)
    {
        var steps = Recipe.Parse(text).PipelineSteps();

        Assert.Equal(expected, string.Join("+", steps.Select(s => s.Text)));
        Assert.Equal(steps.Count, steps.Select(s => s.Name).Distinct().Count());
    }

    [Theory]
    [InlineData("int8", true, false)]
    [InlineData("int8-full:entropy+huffman", true, false)]
    [InlineData("fp16+huffman", false, false)]
    [InlineData("auto", false, true)]
    [InlineData("fold-batchnorm", false, false)]
    public void Needs_are_the_union_of_the_steps_needs(string text, bool calibration, bool evaluation)
    {
        var recipe = Recipe.Parse(text);

        Assert.Equal(calibration, recipe.NeedsCalibrationData);
        Assert.Equal(evaluation, recipe.NeedsEvaluationData);
    }

    [Fact]
    public void Every_named_recipe_reads_back_as_itself()
    {
        Assert.All(Recipe.All, recipe => Assert.Equal(recipe, Recipe.Parse(recipe.Name)));
        Assert.Equal(Recipe.All.Select(r => r.Name), Recipe.All.Select(r => r.Text));
    }
}
