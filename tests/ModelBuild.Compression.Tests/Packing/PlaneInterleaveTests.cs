using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>The vector interleave of byte planes against the definition (byte p of element i is byte i of plane p), across the vector width and its tails.</summary>
public sealed class PlaneInterleaveTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Planes_interleave_into_their_elements_at_every_length(int planes)
    {
        var random = new Random(planes);
        foreach (var elements in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 100, 2048 / planes * 8 })
        {
            var source = new byte[elements * planes + 5];
            random.NextBytes(source);
            var result = new byte[elements * planes];

            PlaneInterleave.Interleave(source, result, planes);

            for (var i = 0; i < elements; i++)
            {
                for (var p = 0; p < planes; p++)
                    Assert.True(source[p * elements + i] == result[i * planes + p], $"{planes} planes of {elements}: element {i} byte {p}");
            }
        }
    }

    [Fact]
    public void Too_few_plane_bytes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PlaneInterleave.Interleave(new byte[31], new byte[32], 4));
        Assert.Throws<ArgumentException>(() => PlaneInterleave.Interleave(new byte[32], new byte[30], 4));
        Assert.Throws<ArgumentException>(() => PlaneInterleave.Interleave(new byte[32], new byte[32], 3));
    }
}
