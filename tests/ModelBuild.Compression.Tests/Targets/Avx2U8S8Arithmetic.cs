namespace ModelBuild.Compression.Tests.Targets;

/// <summary>
/// The integer arithmetic of ONNX Runtime's x64 u8 x s8 GEMM without VNNI (MLAS's AVX2 and AVX-512 core kernels):
/// <c>vpmaddubsw</c> multiplies unsigned activation bytes by signed weight bytes and adds each adjacent pair of
/// products in 16 bits with saturation; <c>vpmaddwd</c> then widens and sums those pairs in 32 bits. VNNI
/// (<c>vpdpbusd</c>), AMX, ARM64 and the u8 x u8 kernels sum every product in 32 bits: the exact dot product.
/// </summary>
internal static class Avx2U8S8Arithmetic
{
    public static int Exact(ReadOnlySpan<byte> activations, ReadOnlySpan<sbyte> weights)
    {
        var sum = 0;
        for (var k = 0; k < weights.Length; k++)
            sum += activations[k] * weights[k];
        return sum;
    }

    public static int Avx2(ReadOnlySpan<byte> activations, ReadOnlySpan<sbyte> weights)
    {
        var sum = 0;
        for (var k = 0; k < weights.Length; k += 2)
        {
            var pair = activations[k] * weights[k] + (k + 1 < weights.Length ? activations[k + 1] * weights[k + 1] : 0);
            sum += Math.Clamp(pair, short.MinValue, short.MaxValue);
        }
        return sum;
    }

    /// <summary>The activations that push each pair of products furthest: 255 where the weight is positive, 0 elsewhere.</summary>
    public static byte[] Worst(ReadOnlySpan<sbyte> weights)
    {
        var activations = new byte[weights.Length];
        for (var k = 0; k < weights.Length; k++)
            activations[k] = weights[k] > 0 ? (byte)255 : (byte)0;
        return activations;
    }
}
