using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Static rANS (ryg_rans' byte-wise 32-bit variant): symbols are coded last to first so the decoder reads forwards;
/// the output starts with the final state (4 bytes, little-endian) followed by the renormalization bytes in the
/// order the decoder takes them. The state starts, and so decodes back to, <see cref="ModelContainerFormat.RansLowerBound"/>.
/// With N states (2: version 3's interleaved mode, 4: version 4's) symbol i is coded with state i mod N and the N final
/// states lead the output, the first symbol's first.
/// </summary>
internal static class RansEncoder
{
    /// <param name="data">The symbols.</param>
    /// <param name="frequencies">From <see cref="RansFrequencies.For"/>: non-zero for every symbol of <paramref name="data"/>, summing to 2^14.</param>
    /// <param name="states">1, or 2 or 4 for the interleaved modes.</param>
    public static byte[] Encode(ReadOnlySpan<byte> data, int[] frequencies, int states = 1) =>
        Encode(data, frequencies, states, ModelContainerFormat.RansLowerBound, wordBytes: 1, ModelContainerFormat.RansScaleBits);

    /// <summary>
    /// The 32-state modes of version 5 (<see cref="ModelContainerFormat.WideRansStream"/>: frequencies summing to 2^12;
    /// <see cref="ModelContainerFormat.FineWideRansStream"/>: to 2^14): states in [2^16, 2^32), renormalized a 16-bit word at a time (at most one per symbol); the 32 final states (4 bytes each,
    /// little-endian, the first symbol's first), then the words (little-endian) in the order the decoder reads them.
    /// </summary>
    /// <param name="data">The symbols.</param>
    /// <param name="frequencies">From <see cref="RansFrequencies.For"/> with <paramref name="scaleBits"/>.</param>
    /// <param name="scaleBits">12 (<see cref="ModelContainerFormat.WideRansStream"/>) or 14 (<see cref="ModelContainerFormat.FineWideRansStream"/>).</param>
    /// <param name="states">32, or 8 for the eight-state modes of version 6 (<see cref="ModelContainerFormat.EightStateRansStream"/>): the same with 8 final states.</param>
    public static byte[] EncodeWide(ReadOnlySpan<byte> data, int[] frequencies, int scaleBits = ModelContainerFormat.WideRansScaleBits, int states = ModelContainerFormat.WideRansStates) =>
        Encode(data, frequencies, states, ModelContainerFormat.WideRansLowerBound, wordBytes: 2, scaleBits);

    // States in [lowerBound, lowerBound x 2^(8 wordBytes)), renormalized wordBytes at a time (little-endian).
    private static byte[] Encode(ReadOnlySpan<byte> data, int[] frequencies, int states, uint lowerBound, int wordBytes, int scaleBits)
    {
        var starts = new int[256];
        for (var s = 1; s < 256; s++) starts[s] = starts[s - 1] + frequencies[s - 1];
        // Written from the end backwards: at most 2 bytes per symbol plus the states.
        var buffer = new byte[2L * data.Length + 4 * states];
        var at = buffer.Length;
        var stateOf = new uint[states];
        Array.Fill(stateOf, lowerBound);
        for (var i = data.Length - 1; i >= 0; i--)
        {
            var state = stateOf[i % states];
            var symbol = data[i];
            var frequency = (uint)frequencies[symbol];
            // Renormalize so that the step below lands back in [L, L x 2^(8 wordBytes)).
            var limit = ((ulong)lowerBound >> scaleBits << (8 * wordBytes)) * frequency;
            while (state >= limit)
            {
                // Written backwards, so the high byte first: the decoder reads the word little-endian.
                for (var b = wordBytes - 1; b >= 0; b--) buffer[--at] = (byte)(state >> (8 * b));
                state >>= 8 * wordBytes;
            }
            stateOf[i % states] = (state / frequency << scaleBits) + state % frequency + (uint)starts[symbol];
        }
        for (var s = states - 1; s >= 0; s--)
        {
            at -= 4;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at), stateOf[s]);
        }
        return buffer.AsSpan(at).ToArray();
    }
}
