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

        Assert.Equal(["fp16", "int8-dynamic", "int8:minmax", "int8:percentile", "int8:entropy"], candidates.Select(c => c.Recipe.Text));
        Assert.Equal(["fp16", "int8-dynamic", "int8 (minmax)", "int8 (percentile)", "int8 (entropy)"], candidates.Select(c => c.Name));
        // The description names the recipe without its parameters, as it did before parameters existed.
        Assert.All(candidates.Skip(2), c => Assert.Equal("int8", c.Recipe.Name));
    }

    [Fact]
    public void Without_calibration_data_auto_tries_what_runs_on_the_model_alone()
    {
        Assert.Equal(["fp16", "int8-dynamic"], AutoCandidates.For(CompressionSettings.Default).Select(c => c.Recipe.Text));
    }
}
