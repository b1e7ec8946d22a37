namespace ModelBuild.Compression.Packing;

/// <summary>
/// What a container's coded tensors cost against what they could cost: <see cref="CodedBytes"/> (every payload with
/// its kind, modes and tables) beside the order-0 Shannon entropy of the symbols their chosen chains emit (each
/// stream's own entropy, as a per-stream static coder can reach at best, plus a palette's bytes, stored as they are).
/// The benchmark prints both.
/// </summary>
/// <param name="Tensors">Tensors coded (cut out of the graph part).</param>
/// <param name="RawBytes">Their <c>raw_data</c> bytes.</param>
/// <param name="CodedBytes">Their payloads' bytes in the container.</param>
/// <param name="EntropyBytes">Sum over their streams of n x H0(stream) / 8, plus their palettes' bytes.</param>
public sealed record PackedWeightStatistics(int Tensors, long RawBytes, long CodedBytes, double EntropyBytes)
{
    /// <summary>n x H0(<paramref name="symbols"/>) / 8: what an order-0 coder spends on them at best, in bytes.</summary>
    internal static double OrderZeroBytes(ReadOnlySpan<byte> symbols)
    {
        var counts = new long[256];
        foreach (var b in symbols) counts[b]++;
        return OrderZeroBytes(counts, symbols.Length);
    }

    /// <summary>The order-0 entropy in bytes of <paramref name="total"/> symbols with these <paramref name="counts"/>.</summary>
    internal static double OrderZeroBytes(long[] counts, long total)
    {
        double bits = 0;
        foreach (var c in counts)
        {
            if (c > 0) bits -= c * Math.Log2((double)c / total);
        }
        return bits / 8;
    }
}
