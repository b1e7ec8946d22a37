using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Encodes one stream of bytes the smallest way (docs/internals.md, "Model container"): stored, one constant byte,
/// canonical Huffman (symbol bitmap, 4-bit code lengths, coded bits MSB first) or, from version 2, static rANS (symbol
/// bitmap, varint frequencies, coded bytes; from version 3 with two interleaved states, from 4 with four, from 5 with 32 and 16-bit words for long streams;
/// from 6 with 8 such states for medium ones and with a smooth table of a few bytes where that is smaller), which goes below a bit per symbol where one byte value dominates.
/// </summary>
internal static class StreamEncoder
{
    /// <summary>The stream's entropy in bytes from which four rANS states are used: their 8 more bytes are then at most 0.5 %.</summary>
    private const int FourStateMinimum = 1600;

    /// <summary>
    /// The entropy in bytes from which a smooth table's stream has two states (version 6): their 4 more bytes than one
    /// are then at most 0.5 %, and two chains of dependent steps decode about twice as fast as one.
    /// </summary>
    private const int SmoothTwoStateMinimum = 800;

    /// <summary>The entropy in bytes from which a smooth table's stream has four states (version 6): their 8 more bytes than two are then at most 0.5 %, as for own tables.</summary>
    private const int SmoothFourStateMinimum = 1600;

    /// <summary>
    /// The shortest stream given a smooth table (version 6): a rANS stream's decoder first builds its 2^14-slot table
    /// (16 KB) and its frequencies, about as long as decoding a thousand symbols; a shorter stream (an int32 bias's
    /// plane) keeps the choice of version 5, mostly stored or Huffman.
    /// </summary>
    private const int SmoothMinimumSymbols = 1024;

    /// <summary>The entropy in bytes from which 32 states are used (version 5): their 112 more bytes than four states are then at most 0.5 %.</summary>
    private const int WideMinimum = 112 * 200;

    /// <summary>The entropy in bytes from which 8 vector states are used (version 6): their 16 more bytes than four states are then at most 0.5 %.</summary>
    private const int EightMinimum = 16 * 200;

    /// <param name="data">The stream's bytes.</param>
    /// <param name="output">Where the mode byte and the coded stream go.</param>
    /// <param name="version">The container version being written: rANS only from 2.</param>
    public static void Write(ReadOnlySpan<byte> data, ContainerBuffer output, byte version)
    {
        var counts = new long[256];
        foreach (var b in data) counts[b]++;
        var used = counts.Count(c => c > 0);
        if (used == 1 && data.Length > 1)
        {
            output.Byte(ModelContainerFormat.ConstantStream).Byte(data[0]);
            return;
        }
        // A code must save at least 1/128 of the bytes to be used: the low mantissa bytes of float weights are nearly
        // uniform, and decoding them costs several times copying them for a saving of a fraction of a percent.
        var worthCoding = data.Length - data.Length / 128;
        if (used >= 2)
        {
            var lengths = HuffmanCodeLengths.For(counts);
            long bits = 0;
            for (var s = 0; s < 256; s++) bits += counts[s] * lengths[s];
            var codedBytes = (bits + 7) / 8;
            var huffmanSize = ModelContainerFormat.SymbolBitmapLength + (used + 1) / 2 + ContainerBuffer.VarintLength(codedBytes) + codedBytes;
            if (version >= 2)
            {
                // From version 3 two interleaved states, which decode faster for the 4 bytes of the second state;
                // from version 4 four where their 8 more bytes cost under 0.5 % (more chains overlap, so they decode faster).
                // The entropy stands in for the coded length, so each stream is rANS coded once.
                var entropy = PackedWeightStatistics.OrderZeroBytes(counts, data.Length);
                var states = version >= 4 && entropy >= FourStateMinimum ? 4 : version >= 3 ? 2 : 1;
                var (frequencies, rans, ransSize) = Rans(data, counts, states, ModelContainerFormat.RansScaleBits);
                var mode = ModelContainerFormat.RansModeFor(states, ModelContainerFormat.RansScaleBits, smooth: false);
                // From version 5 32 states decoded by vector, where they cost at most 0.5 % more: 112 more state bytes
                // and, with the 2^12 table (one gather a step), its rare symbols' larger share of the slots; else with
                // the 2^14 table (two gathers a step, about half as fast), the state bytes alone. From version 6 else
                // 8 states (one vector, 16 more state bytes), by the same rule.
                foreach (var (vectorStates, scaleBits, wideMode) in VectorModes(version, entropy))
                {
                    var wide = Rans(data, counts, vectorStates, scaleBits);
                    if (wide.Size > ransSize + ransSize / 200) continue;
                    (frequencies, rans, ransSize, states, mode) = (wide.Frequencies, wide.Coded, wide.Size, vectorStates, wideMode);
                    break;
                }
                // From version 6 a smooth table (a few bytes where the bitmap and varints take 100-300), where its
                // stream is smaller: fewer states on shorter streams, each state's 4 bytes at most 0.5 % of the stream;
                // not for streams under SmoothMinimumSymbols.
                SmoothTable? smooth = null;
                if (version >= 6 && data.Length >= SmoothMinimumSymbols)
                {
                    var wide = IsVector(states);
                    var smoothStates = wide ? states : entropy >= SmoothFourStateMinimum ? 4 : entropy >= SmoothTwoStateMinimum ? 2 : 1;
                    var scaleBits = wide ? ModelContainerFormat.WideRansScaleBits : ModelContainerFormat.RansScaleBits;
                    var table = SmoothTable.Fit(counts, scaleBits, out var estimate);
                    if (table.Length + estimate + 4 * smoothStates < ransSize)
                    {
                        var coded = wide ? RansEncoder.EncodeWide(data, table.Frequencies, scaleBits, smoothStates) : RansEncoder.Encode(data, table.Frequencies, smoothStates);
                        var size = table.Length + ContainerBuffer.VarintLength(coded.Length) + coded.Length;
                        if (size < ransSize)
                        {
                            (smooth, frequencies, rans, ransSize, states) = (table, table.Frequencies, coded, size, smoothStates);
                            mode = ModelContainerFormat.RansModeFor(smoothStates, scaleBits, smooth: true);
                        }
                    }
                }
                // 32 states decode about twice as fast as Huffman: worth up to 1 % more bytes (the rANS table costs
                // 1-2 bytes a symbol where Huffman's costs half a byte, which decides between them in 20-60 KB streams);
                // 8 states as well, the rule kept.
                var rivalSize = IsVector(states) ? huffmanSize + huffmanSize / 100 : huffmanSize - 1;
                if (ransSize <= rivalSize && ransSize < worthCoding)
                {
                    output.Byte(mode);
                    if (smooth is not null) smooth.Write(output);
                    else WriteRansTable(frequencies, output);
                    output.Varint(rans.Length).Bytes(rans);
                    return;
                }
            }
            if (huffmanSize < worthCoding)
            {
                output.Byte(ModelContainerFormat.HuffmanStream);
                WriteTable(lengths, used, output);
                output.Varint(codedBytes);
                WriteBits(data, lengths, output);
                return;
            }
        }
        // Coding does not pay (few bytes, or bytes close to uniform): they are stored as they are.
        output.Byte(ModelContainerFormat.StoredStream).Bytes(data);
    }

    // The vector modes a stream may take, in order of preference: 32 states from version 5, else 8 from version 6,
    // where their state bytes are at most 0.5 % of its entropy; each with the 2^12 table, else the 2^14 one.
    private static IEnumerable<(int States, int ScaleBits, byte Mode)> VectorModes(byte version, double entropy)
    {
        foreach (var (states, minimum) in new[] { (ModelContainerFormat.WideRansStates, WideMinimum), (ModelContainerFormat.EightRansStates, EightMinimum) })
        {
            if (entropy < minimum) continue;
            foreach (var scaleBits in new[] { ModelContainerFormat.WideRansScaleBits, ModelContainerFormat.RansScaleBits })
            {
                if (ModelContainerFormat.RansModeOf(ModelContainerFormat.RansModeFor(states, scaleBits, smooth: false), version) is { } rans)
                    yield return (states, scaleBits, rans.Mode);
            }
        }
    }

    private static bool IsVector(int states) => states is ModelContainerFormat.WideRansStates or ModelContainerFormat.EightRansStates;

    // The stream rANS coded with this many states and a table of 2^scaleBits slots, and its bytes with the table.
    private static (int[] Frequencies, byte[] Coded, long Size) Rans(ReadOnlySpan<byte> data, long[] counts, int states, int scaleBits)
    {
        var frequencies = RansFrequencies.For(counts, scaleBits);
        var coded = IsVector(states) ? RansEncoder.EncodeWide(data, frequencies, scaleBits, states) : RansEncoder.Encode(data, frequencies, states);
        long table = ModelContainerFormat.SymbolBitmapLength;
        foreach (var f in frequencies) table += f > 0 ? ContainerBuffer.VarintLength(f) : 0;
        return (frequencies, coded, table + ContainerBuffer.VarintLength(coded.Length) + coded.Length);
    }

    private static void WriteRansTable(int[] frequencies, ContainerBuffer output)
    {
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        for (var symbol = 0; symbol < 256; symbol++)
        {
            if (frequencies[symbol] > 0) bitmap[symbol >> 3] |= (byte)(1 << (symbol & 7));
        }
        output.Bytes(bitmap);
        foreach (var f in frequencies)
        {
            if (f > 0) output.Varint(f);
        }
    }

    private static void WriteTable(byte[] lengths, int used, ContainerBuffer output)
    {
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        var nibbles = new byte[(used + 1) / 2];
        var i = 0;
        for (var symbol = 0; symbol < 256; symbol++)
        {
            if (lengths[symbol] == 0) continue;
            bitmap[symbol >> 3] |= (byte)(1 << (symbol & 7));
            nibbles[i >> 1] |= (byte)(lengths[symbol] << ((i & 1) * 4));
            i++;
        }
        output.Bytes(bitmap).Bytes(nibbles);
    }

    private static void WriteBits(ReadOnlySpan<byte> data, byte[] lengths, ContainerBuffer output)
    {
        var codes = CanonicalHuffmanCode.Codes(lengths);
        ulong buffer = 0;
        var buffered = 0;
        foreach (var symbol in data)
        {
            buffer = (buffer << lengths[symbol]) | codes[symbol];
            buffered += lengths[symbol];
            while (buffered >= 8)
            {
                buffered -= 8;
                output.Byte((byte)(buffer >> buffered));
            }
        }
        if (buffered > 0) output.Byte((byte)(buffer << (8 - buffered)));
    }
}
