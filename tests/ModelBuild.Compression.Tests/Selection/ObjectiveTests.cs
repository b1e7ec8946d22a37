using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Selection;

namespace ModelBuild.Compression.Tests.Selection;

public sealed class ObjectiveTests
{
    private static readonly ModelMeasurement Original = new("original", 0.80, AccuracyMetric.Top1, null, 4.0, 1_000, 1_000, 100);

    [Fact]
    public void L_adds_the_weighted_relative_changes_of_size_latency_and_accuracy()
    {
        var candidate = Original with { StoredBytes = 250, LatencyMilliseconds = 3.0, Accuracy = 0.78 };

        // (250-1000)/1000 = -0.75; (3-4)/4 = -0.25; (0.80-0.78)/0.80 = 0.025
        Assert.Equal(-0.75 - 0.25 + 0.025, Objective.Loss(ObjectiveWeights.Equal, Original, candidate), 12);
        Assert.Equal((2 * -0.75) + (10 * 0.025), Objective.Loss(new ObjectiveWeights(2, 0, 10), Original, candidate), 12);
    }

    [Fact]
    public void Weights_parse_from_the_build_string_and_unnamed_terms_keep_1()
    {
        Assert.Equal(new ObjectiveWeights(0.5, 1, 4), ObjectiveWeights.Parse("size=0.5, accuracy=4", "m.onnx"));
        Assert.Equal(ObjectiveWeights.Equal, ObjectiveWeights.Parse(null, "m.onnx"));
    }

    [Theory]
    [InlineData("speed=1")]
    [InlineData("size=-1")]
    [InlineData("size")]
    public void Malformed_weights_are_MB1015(string text)
    {
        var error = Assert.Throws<CompressionException>(() => ObjectiveWeights.Parse(text, "m.onnx"));

        Assert.Equal("MB1015", error.Code);
        Assert.Contains("size=<w>", error.Message);
    }
}
