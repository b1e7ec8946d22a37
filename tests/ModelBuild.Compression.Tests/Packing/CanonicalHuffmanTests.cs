using ModelBuild.Compression.Packing;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>The canonical Huffman code the container uses: code lengths, codes, and streams that decode back.</summary>
public sealed class CanonicalHuffmanTests
{
    [Fact]
    public void Lengths_of_a_dyadic_distribution_are_minus_log2_of_the_probabilities()
    {
        var counts = new long[256];
        (counts['a'], counts['b'], counts['c'], counts['d']) = (8, 4, 2, 2);

        var lengths = HuffmanCodeLengths.For(counts);

        Assert.Equal([1, 2, 3, 3], new[] { lengths['a'], lengths['b'], lengths['c'], lengths['d'] });
        Assert.Equal(4, lengths.Count(l => l > 0));
    }

    [Fact]
    public void Codes_are_assigned_in_order_of_length_then_symbol()
    {
        var lengths = new byte[256];
        (lengths[10], lengths[3], lengths[7], lengths[200]) = (1, 2, 3, 3);

        var codes = CanonicalHuffmanCode.Codes(lengths);

        // RFC 1951 3.2.2's rule: 10 -> 0, 3 -> 10, 7 -> 110, 200 -> 111.
        Assert.Equal([0b0u, 0b10u, 0b110u, 0b111u], new[] { codes[10], codes[3], codes[7], codes[200] });
    }

    [Fact]
    public void A_skewed_distribution_is_limited_to_15_bits_and_stays_a_complete_code()
    {
        // Fibonacci counts make the optimal tree as deep as there are symbols (30 here).
        var counts = new long[256];
        var (a, b) = (1L, 1L);
        for (var s = 0; s < 30; s++)
        {
            counts[s] = a;
            (a, b) = (b, a + b);
        }

        var lengths = HuffmanCodeLengths.For(counts);

        Assert.InRange(lengths.Max(), 8, ModelContainerFormat.MaxCodeLength);
        Assert.True(CanonicalHuffmanCode.IsComplete(lengths, ModelContainerFormat.MaxCodeLength));
        Assert.Equal(30, lengths.Count(l => l > 0));
    }

    [Fact]
    public void Equal_counts_give_the_same_lengths_on_every_run()
    {
        var counts = Enumerable.Repeat(5L, 256).ToArray();

        Assert.Equal(HuffmanCodeLengths.For(counts), HuffmanCodeLengths.For(counts));
        Assert.All(HuffmanCodeLengths.For(counts), length => Assert.Equal(8, length));
    }

    public static TheoryData<string, byte[]> Streams()
    {
        var random = new Random(7);
        var skewed = new byte[20_000];
        // Gaussian-like int8 weights: most bytes near 0 (and 255, 254, ... for small negatives).
        for (var i = 0; i < skewed.Length; i++) skewed[i] = (byte)(sbyte)Math.Clamp(Math.Round(NextGaussian(random) * 12), -127, 127);
        var allSymbols = new byte[40_000];
        // Every byte value occurs, at a rate falling with its value: a code with 256 symbols that pays.
        for (var i = 0; i < allSymbols.Length; i++) allSymbols[i] = (byte)(i < 256 ? i : Math.Min(255, (int)(-Math.Log(1 - random.NextDouble()) * 20)));
        var uniform = new byte[5_000];
        random.NextBytes(uniform);
        return new()
        {
            { "empty", [] },
            { "one byte", [42] },
            { "one symbol repeated", Enumerable.Repeat((byte)7, 1_000).ToArray() },
            { "two symbols", Enumerable.Range(0, 999).Select(i => (byte)(i % 3 == 0 ? 1 : 200)).ToArray() },
            { "int8 weights", skewed },
            { "all 256 symbols", allSymbols },
            { "uniform noise", uniform },
        };
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void A_stream_decodes_to_its_bytes_and_is_never_larger_than_stored(string name, byte[] data)
    {
        var payload = TensorPayloadEncoder.Encode(data, 1);

        var decoded = new byte[data.Length];
        var reader = new ContainerReader(payload);
        TensorPayload.Decode(ref reader, decoded);

        Assert.Equal(data, decoded);
        Assert.Equal(0, reader.Remaining);
        Assert.True(payload.Length <= data.Length + 2, $"{name}: {payload.Length} bytes for {data.Length}");
    }

    [Fact]
    public void Skewed_bytes_are_huffman_coded_to_their_entropy_within_a_bit_per_symbol_plus_the_table()
    {
        var data = (byte[])Streams().Single(row => (string)row[0] == "int8 weights")[1];
        var counts = new long[256];
        foreach (var b in data) counts[b]++;
        var entropyBits = counts.Where(c => c > 0).Sum(c => -c * Math.Log2((double)c / data.Length));

        // Version 1 has no rANS, so Huffman is the writer's best code.
        var payload = TensorPayloadEncoder.Encode(data, 1, version: 1);

        Assert.Equal(ModelContainerFormat.HuffmanStream, payload[1]);
        Assert.InRange(payload.Length * 8.0, entropyBits, entropyBits + data.Length + 8 * 200);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Byte_planes_round_trip_for_every_element_size(int elementSize)
    {
        var values = Enumerable.Range(0, 3_000).Select(i => (float)Math.Sin(i * 0.01) * 0.05f).ToArray();
        var data = elementSize switch
        {
            1 => values.Select(v => (byte)(sbyte)(v * 2_000)).ToArray(),
            2 => values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray(),
            4 => values.SelectMany(BitConverter.GetBytes).ToArray(),
            _ => values.SelectMany(v => BitConverter.GetBytes((double)v)).ToArray(),
        };

        var payload = TensorPayloadEncoder.Encode(data, elementSize);

        var decoded = new byte[data.Length];
        var reader = new ContainerReader(payload);
        TensorPayload.Decode(ref reader, decoded);
        Assert.Equal(data, decoded);
        Assert.True(payload.Length < data.Length, $"{payload.Length} bytes for {data.Length}");
    }

    [Fact]
    public void Float_weights_code_smaller_in_byte_planes_than_as_one_stream()
    {
        var random = new Random(3);
        var data = Enumerable.Range(0, 10_000).SelectMany(_ => BitConverter.GetBytes((float)(NextGaussian(random) * 0.05))).ToArray();

        var planes = TensorPayloadEncoder.Encode(data, 4);
        var whole = TensorPayloadEncoder.Encode(data, 1);

        Assert.Equal(4, planes[0]);
        Assert.Equal(1, whole[0]);
        Assert.True(planes.Length < whole.Length, $"planes {planes.Length}, one stream {whole.Length}");
    }

    /// <summary>
    /// The decoder's table covers codes of up to 11 bits and decodes several symbols per 8-byte refill: codes up to
    /// 15 bits, refills at every bit offset, the stream's last bytes (zero-filled past the end) and the 16 KB pieces a
    /// tensor is decoded in, interleaved as byte planes, must all give the bytes back.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Huffman_codes_up_to_15_bits_decode_across_refills_pieces_and_planes(int planes)
    {
        // Geometric counts: symbol s about 2^-(s/2 + 1) of the bytes, so codes run from 2 to 15 bits.
        var random = new Random(11);
        var data = new byte[100_003 * planes];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)Math.Min(40, (int)(-Math.Log(1 - random.NextDouble()) / Math.Log(Math.Sqrt(2))));
        var counts = new long[256];
        foreach (var b in data) counts[b]++;

        var payload = TensorPayloadEncoder.Encode(data, planes, version: 1);

        Assert.Equal(ModelContainerFormat.MaxCodeLength, HuffmanCodeLengths.For(counts).Max());
        Assert.Equal(ModelContainerFormat.HuffmanStream, payload[1]);
        var decoded = new byte[data.Length];
        var reader = new ContainerReader(payload);
        TensorPayload.Decode(ref reader, decoded);
        Assert.Equal(data, decoded);
        Assert.Equal(0, reader.Remaining);
    }

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
