using ModelBuild.Compression.Data;
using ModelBuild.Compression.Selection;

namespace ModelBuild.Compression.Tests.Selection;

/// <summary><c>auto</c>'s candidates are recipes written as text, so the search sweeps parameters; their names are as before.</summary>
public sealed class AutoCandidatesTests
{
    [Fact]
    public void With_calibration_data_auto_sweeps_the_calibration_parameter_of_int8()
    {
        var candidates = AutoCandidates.For(new CompressionSettings { CalibrationInputs = Array.Empty<ImageTensor>() });

        Assert.Equal(["fp16", "int8-dynamic", "int8:minmax", "int8:percentile", "int8:entropy"], candidates.Take(5).Select(c => c.Recipe.Text));
        Assert.Equal(["fp16", "int8-dynamic", "int8 (minmax)", "int8 (percentile)", "int8 (entropy)"], candidates.Take(5).Select(c => c.Name));
        // The description names the recipe without its parameters, as it did before parameters existed.
        Assert.All(candidates.Skip(2).Take(3), c => Assert.Equal("int8", c.Recipe.Name));
    }

    [Fact]
    public void With_calibration_data_auto_also_tries_clustered_4_bit_and_pruned_weights_packed()
    {
        var candidates = AutoCandidates.For(new CompressionSettings { CalibrationInputs = Array.Empty<ImageTensor>() });

        Assert.Equal(["int8+cluster:5+huffman", "int8+cluster:4+huffman", "int8+cluster:3+huffman", "int4+huffman", "prune:0.5+int4+huffman"], candidates.Skip(5).Select(c => c.Recipe.Text));
    }

    [Fact]
    public void A_candidate_naming_a_step_this_build_lacks_is_left_out()
    {
        var candidates = AutoCandidates.FromText(["no-such-step:0.5+int8+huffman", "int8+cluster:4+huffman"]);

        Assert.Equal(["int8+cluster:4+huffman"], candidates.Select(c => c.Recipe.Text));
    }

    [Fact]
    public void Without_calibration_data_auto_tries_what_runs_on_the_model_alone()
    {
        Assert.Equal(["fp16", "int8-dynamic"], AutoCandidates.For(CompressionSettings.Default).Select(c => c.Recipe.Text));
    }
}
