using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Support;

/// <summary>How far a compressed model's outputs are from the original's.</summary>
public static class OutputError
{
    /// <summary>
    /// The largest absolute difference over all outputs, divided by the largest absolute original value: scale-free,
    /// so one tolerance serves logits, probabilities and feature maps alike.
    /// </summary>
    public static double MaxRelative(IReadOnlyDictionary<string, OutputTensor> expected, IReadOnlyDictionary<string, OutputTensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        double maxDiff = 0, maxValue = 0;
        foreach (var (name, want) in expected)
        {
            var got = actual[name];
            Assert.Equal(want.Shape, got.Shape);
            for (var i = 0; i < want.Data.Length; i++)
            {
                Assert.False(float.IsNaN(got.Data[i]) && !float.IsNaN(want.Data[i]), $"output '{name}'[{i}] is NaN after compression");
                maxDiff = Math.Max(maxDiff, Math.Abs(want.Data[i] - got.Data[i]));
                maxValue = Math.Max(maxValue, Math.Abs(want.Data[i]));
            }
        }
        return maxDiff / Math.Max(maxValue, 1e-6);
    }

    /// <summary>
    /// Intersection over union of the pixels above <paramref name="threshold"/> in the first output: what a text
    /// detector's post-processing (PP-OCR's DB, threshold 0.3) turns into boxes. 1 when neither has any.
    /// </summary>
    public static double MaskAgreement(IReadOnlyDictionary<string, OutputTensor> expected, IReadOnlyDictionary<string, OutputTensor> actual, float threshold)
    {
        var name = expected.Keys.First();
        var pairs = expected[name].Data.Zip(actual[name].Data, (e, a) => (e > threshold, a > threshold)).ToList();
        var union = pairs.Count(p => p.Item1 || p.Item2);
        return union == 0 ? 1 : (double)pairs.Count(p => p.Item1 && p.Item2) / union;
    }
}
