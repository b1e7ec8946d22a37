namespace ModelBuild.Compression.Packing;

/// <summary>
/// What a container's coded tensors cost against what they could cost: <see cref="CodedBytes"/> (every payload with
/// its plane count, modes and tables) beside the order-0 Shannon entropy of the symbols their chosen chains emit
/// (each byte plane's own entropy, as a per-stream static coder can reach at best). The benchmark prints both.
/// </summary>
/// <param name="Tensors">Tensors coded (cut out of the graph part).</param>
/// <param name="RawBytes">Their <c>raw_data</c> bytes.</param>
/// <param name="CodedBytes">Their payloads' bytes in the container.</param>
/// <param name="EntropyBytes">Sum over their streams of n x H0(stream) / 8.</param>
public sealed record PackedWeightStatistics(int Tensors, long RawBytes, long CodedBytes, double EntropyBytes)
{
    /// <summary>Order-0 entropy in bytes of each plane of <paramref name="rawData"/> split into <paramref name="planes"/> byte planes, summed.</summary>
    internal static double EntropyOfPlanes(ReadOnlySpan<byte> rawData, int planes)
    {
        double bits = 0;
        var counts = new long[256];
        for (var p = 0; p < planes; p++)
        {
            Array.Clear(counts);
            for (var i = p; i < rawData.Length; i += planes) counts[rawData[i]]++;
            var n = rawData.Length / planes;
            foreach (var c in counts)
            {
                if (c > 0) bits -= c * Math.Log2((double)c / n);
            }
        }
        return bits / 8;
    }
}
