using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Static rANS (ryg_rans' byte-wise 32-bit variant): symbols are coded last to first so the decoder reads forwards;
/// the output starts with the final state (4 bytes, little-endian) followed by the renormalization bytes in the
/// order the decoder takes them. The state starts, and so decodes back to, <see cref="ModelContainerFormat.RansLowerBound"/>.
/// </summary>
internal static class RansEncoder
{
    /// <param name="data">The symbols.</param>
    /// <param name="frequencies">From <see cref="RansFrequencies.For"/>: non-zero for every symbol of <paramref name="data"/>, summing to 2^14.</param>
    public static byte[] Encode(ReadOnlySpan<byte> data, int[] frequencies)
    {
        var starts = new int[256];
        for (var s = 1; s < 256; s++) starts[s] = starts[s - 1] + frequencies[s - 1];
        // Written from the end backwards: at most 2 bytes per symbol plus the state.
        var buffer = new byte[2L * data.Length + 4];
        var at = buffer.Length;
        var state = ModelContainerFormat.RansLowerBound;
        for (var i = data.Length - 1; i >= 0; i--)
        {
            var symbol = data[i];
            var frequency = (uint)frequencies[symbol];
            // Renormalize so that the step below lands back in [L, 256 L).
            var limit = (ModelContainerFormat.RansLowerBound >> ModelContainerFormat.RansScaleBits << 8) * frequency;
            while (state >= limit)
            {
                buffer[--at] = (byte)state;
                state >>= 8;
            }
            state = (state / frequency << ModelContainerFormat.RansScaleBits) + state % frequency + (uint)starts[symbol];
        }
        buffer[--at] = (byte)(state >> 24);
        buffer[--at] = (byte)(state >> 16);
        buffer[--at] = (byte)(state >> 8);
        buffer[--at] = (byte)state;
        return buffer.AsSpan(at).ToArray();
    }
}
