using ModelBuild.Compression.Packing;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// The static rANS streams of container version 2: the edge cases of the frequency table (one symbol, all 256, very
/// skewed), round trips through the runtime's decoder, and the point of the coder: below a bit per symbol where one
/// byte value dominates, within a small margin of the order-0 entropy.
/// </summary>
public sealed class RansCodingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(256)]
    public void A_table_gives_every_used_symbol_a_slot_and_sums_to_the_scale(int symbols)
    {
        var counts = new long[256];
        // Counts from 1 to a million: the rare symbols need the minimum frequency, the common one most of the slots.
        for (var s = 0; s < symbols; s++) counts[s] = s == 0 ? 1_000_000 : s;

        var frequencies = RansFrequencies.For(counts);

        Assert.Equal(RansFrequencies.Scale, frequencies.Sum());
        for (var s = 0; s < 256; s++) Assert.Equal(counts[s] > 0, frequencies[s] > 0);
    }

    public static TheoryData<string, byte[]> Streams()
    {
        var random = new Random(11);
        var sparse = new byte[50_000];
        for (var i = 0; i < sparse.Length; i++) sparse[i] = random.NextDouble() < 0.945 ? (byte)0 : (byte)random.Next(1, 256);
        var all = new byte[20_000];
        for (var i = 0; i < all.Length; i++) all[i] = (byte)(i < 256 ? i : random.Next(256));
        // Not a multiple of 2 or 4, and longer than a 16 KB piece: pieces end between turns of the states.
        var odd = new byte[16_387];
        for (var i = 0; i < odd.Length; i++) odd[i] = (byte)Math.Min(255, (int)(-Math.Log(1 - random.NextDouble()) * 20));
        var oneRare = Enumerable.Repeat((byte)5, 30_000).ToArray();
        oneRare[12_345] = 6;
        return new()
        {
            { "empty", [] },
            { "one symbol", Enumerable.Repeat((byte)9, 5_000).ToArray() },
            { "one rare symbol among 30000", oneRare },
            { "94.5 % zeros", sparse },
            { "all 256 symbols", all },
            { "16387 bytes, geometric", odd },
        };
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void A_rANS_stream_decodes_to_its_bytes(string name, byte[] data)
    {
        foreach (var states in new[] { 1, 2, 4 })
            DecodesToItsBytes(name, data, states);
    }

    private static void DecodesToItsBytes(string name, byte[] data, int states)
    {
        var counts = new long[256];
        foreach (var b in data) counts[b]++;
        if (data.Length == 0) counts[0] = 1;
        var frequencies = RansFrequencies.For(counts);
        var coded = RansEncoder.Encode(data, frequencies, states);
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        var payload = new ContainerBuffer().Byte(1).Byte(states switch { 4 => ModelContainerFormat.FourStateRansStream, 2 => ModelContainerFormat.InterleavedRansStream, _ => ModelContainerFormat.RansStream });
        for (var s = 0; s < 256; s++) if (frequencies[s] > 0) bitmap[s >> 3] |= (byte)(1 << (s & 7));
        payload.Bytes(bitmap);
        foreach (var f in frequencies) if (f > 0) payload.Varint(f);
        payload.Varint(coded.Length).Bytes(coded);

        var decoded = new byte[data.Length];
        var reader = new ContainerReader(payload.ToArray());
        TensorPayload.Decode(ref reader, decoded);

        Assert.Equal(data, decoded);
        Assert.Equal(0, reader.Remaining);
        Assert.True(coded.Length >= 4 * states, name);
    }

    [Fact]
    public void A_sparse_stream_is_rANS_coded_below_a_bit_per_symbol_within_1_percent_of_its_entropy_plus_the_table()
    {
        var data = (byte[])Streams().Single(row => (string)row[0] == "94.5 % zeros")[1];
        var counts = new long[256];
        foreach (var b in data) counts[b]++;
        var entropyBytes = counts.Where(c => c > 0).Sum(c => -c * Math.Log2((double)c / data.Length)) / 8;

        // Version 2: the bytes as one stream (version 3 may code their positions apart, SparsePayloadTests).
        var payload = TensorPayloadEncoder.Encode(data, 1, version: 2);
        var huffman = TensorPayloadEncoder.Encode(data, 1, version: 1);

        Assert.Equal(ModelContainerFormat.RansStream, payload[1]);
        // The table: 32-byte bitmap and a varint of 1-2 bytes per used symbol.
        var table = 32 + 2 * counts.Count(c => c > 0);
        Assert.InRange(payload.Length, entropyBytes, entropyBytes * 1.01 + table + 16);
        Assert.True(payload.Length * 8.0 < data.Length, $"{payload.Length} bytes for {data.Length} symbols");
        Assert.True(payload.Length < huffman.Length, $"rANS {payload.Length}, Huffman {huffman.Length}");
    }
}
