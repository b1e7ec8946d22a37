using Xunit;

namespace ModelBuild.TestSupport;

/// <summary>Compares the outputs of two runs, name by name, shape and values.</summary>
public static class OutputAssert
{
    /// <summary>Same names, same shapes, and every value within <paramref name="tolerance"/> (0 = bit for bit,
    /// NaN equal to NaN).</summary>
    public static void Same(IReadOnlyDictionary<string, OutputTensor> expected, IReadOnlyDictionary<string, OutputTensor> actual, float tolerance = 0)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, want) in expected)
        {
            var got = actual[name];
            Assert.True(want.Shape.SequenceEqual(got.Shape),
                $"output '{name}': expected shape [{string.Join(",", want.Shape)}], found [{string.Join(",", got.Shape)}]");
            Assert.Equal(want.Data.Length, got.Data.Length);
            for (var i = 0; i < want.Data.Length; i++)
            {
                var same = tolerance == 0
                    ? want.Data[i].Equals(got.Data[i])
                    : Math.Abs(want.Data[i] - got.Data[i]) <= tolerance;
                Assert.True(same, $"output '{name}'[{i}]: expected {want.Data[i]:R}, found {got.Data[i]:R} (tolerance {tolerance})");
            }
        }
    }
}
