using System.Runtime.Intrinsics.X86;
using ModelBuild.Compression.Packing;
using ModelBuild.Runtime.Packing;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// The 32-state rANS streams of container version 5 (<see cref="ModelContainerFormat.WideRansStream"/>, 2^12 slots, and
/// <see cref="ModelContainerFormat.FineWideRansStream"/>, 2^14) and their eight-state forms of version 6
/// (<see cref="ModelContainerFormat.EightStateRansStream"/>, <see cref="ModelContainerFormat.FineEightStateRansStream"/>): round trips at many lengths and distributions (one
/// symbol, two, all 256, very skewed), decoded in pieces that end inside a turn; the vector decoder (AVX2) and the
/// scalar one give the same bytes, and the same error, for any input; forged tables, lengths and states are refused
/// as the other rANS modes' are.
/// </summary>
public sealed class WideRansTests(ITestOutputHelper output)
{
    public static TheoryData<string> Distributions() => new() { "one symbol", "two halves", "94.5 % zeros", "geometric", "all 256", "one rare" };

    private static readonly byte[] Modes = [ModelContainerFormat.WideRansStream, ModelContainerFormat.FineWideRansStream, ModelContainerFormat.EightStateRansStream, ModelContainerFormat.FineEightStateRansStream];

    private static int StatesOf(byte mode) => mode is ModelContainerFormat.EightStateRansStream or ModelContainerFormat.FineEightStateRansStream ? ModelContainerFormat.EightRansStates : ModelContainerFormat.WideRansStates;

    private static byte[] Data(string distribution, int length, int seed = 7)
    {
        var random = new Random(seed);
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = distribution switch
            {
                "one symbol" => 9,
                "two halves" => (byte)(random.Next(2) * 200),
                "94.5 % zeros" => random.NextDouble() < 0.945 ? (byte)0 : (byte)random.Next(1, 256),
                "geometric" => (byte)Math.Min(255, (int)(-Math.Log(1 - random.NextDouble()) * 20)),
                "all 256" => (byte)(i < 256 ? i : random.Next(256)),
                _ => 5,
            };
        }
        if (distribution == "one rare" && length > 0) data[length / 2] = 6;
        return data;
    }

    private static readonly int[] Lengths = [0, 1, 7, 8, 9, 15, 17, 31, 32, 33, 63, 64, 65, 200, 1_000, 16_387, 70_001];

    [Theory]
    [MemberData(nameof(Distributions))]
    public void A_32_or_8_state_stream_decodes_to_its_bytes_at_any_length_by_vector_and_by_scalar(string distribution)
    {
        foreach (var (mode, length) in Modes.SelectMany(mode => Lengths.Select(length => (mode, length))))
        {
            var data = Data(distribution, length);
            var stream = Stream(data, mode);
            // Through the container's decoder (vectors where AVX2 is), then each decoder on its own in uneven pieces.
            var decoded = new byte[length];
            var reader = new ContainerReader(Payload(stream));
            TensorPayload.Decode(ref reader, decoded);
            Assert.Equal(data, decoded);
            Assert.Equal(0, reader.Remaining);
            Assert.Equal(data, DecodeInPieces(stream, length, vectors: true));
            Assert.Equal(data, DecodeInPieces(stream, length, vectors: false));
            var states = StatesOf(mode);
            Assert.True(stream.Coded.Length >= 4 * states && stream.Coded.Length <= 4 * states + 2 * length, $"mode {mode}, {distribution}, {length}: {stream.Coded.Length} bytes");
        }
    }

    [Fact]
    public void The_vector_and_scalar_decoders_agree_on_any_bytes()
    {
        if (!Avx2.IsSupported) output.WriteLine("no AVX2: both runs take the scalar loop");
        var random = new Random(3);
        int same = 0, refused = 0;
        for (var trial = 0; trial < 400; trial++)
        {
            // A random table, states at least 2^16 and random words: any of them may end early or elsewhere.
            var counts = new long[256];
            for (var s = 0; s < 1 + random.Next(256); s++) counts[random.Next(256)] += 1 + random.Next(1000);
            var mode = Modes[trial % Modes.Length];
            var states = StatesOf(mode);
            var frequencies = RansFrequencies.For(counts, ScaleBitsOf(mode));
            var symbols = random.Next(5_000);
            var coded = new byte[4 * states + 2 * random.Next(symbols + 1)];
            random.NextBytes(coded);
            for (var s = 0; s < states; s++) coded[4 * s + 2] |= (byte)(random.Next(2) == 0 ? 1 : 0x80);
            for (var s = 0; s < states; s++) coded[4 * s + 3] |= (byte)random.Next(2);
            var stream = new CodedStream(frequencies, coded, mode);
            // The symbols first (the end is checked apart, so that most trials compare symbols), then the end.
            var (vector, vectorError) = Attempt(() => DecodeInPieces(stream, symbols, vectors: true, finish: false));
            var (scalar, scalarError) = Attempt(() => DecodeInPieces(stream, symbols, vectors: false, finish: false));
            Assert.Equal(scalarError, vectorError);
            Assert.Equal(scalar, vector);
            if (scalarError is null) same++;
            var (_, vectorEnd) = Attempt(() => DecodeInPieces(stream, symbols, vectors: true));
            var (_, scalarEnd) = Attempt(() => DecodeInPieces(stream, symbols, vectors: false));
            Assert.Equal(scalarEnd, vectorEnd);
            if (scalarEnd is not null) refused++;
        }
        output.WriteLine($"{same} of 400 decoded to the same symbols, {refused} refused alike");
        Assert.True(same > 130 && refused > 0, $"{same} decoded, {refused} refused");
    }

    [Theory]
    [InlineData(ModelContainerFormat.WideRansStream, 126, "a 32-state rANS stream of 0 symbols takes an even 128 to 128 bytes, but 126 were recorded")]
    [InlineData(ModelContainerFormat.WideRansStream, 130, "a 32-state rANS stream of 0 symbols takes an even 128 to 128 bytes, but 130 were recorded")]
    [InlineData(ModelContainerFormat.EightStateRansStream, 30, "an 8-state rANS stream of 0 symbols takes an even 32 to 32 bytes, but 30 were recorded")]
    [InlineData(ModelContainerFormat.FineEightStateRansStream, 128, "an 8-state rANS stream of 0 symbols takes an even 32 to 32 bytes, but 128 were recorded")]
    public void A_32_or_8_state_stream_of_the_wrong_length_is_refused(byte mode, int byteCount, string expected)
    {
        var stream = new CodedStream(Halves(mode), new byte[byteCount], mode);

        var error = Assert.Throws<ModelContainerException>(() => DecodeInPieces(stream, 0, vectors: true));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData(ModelContainerFormat.WideRansStream)]
    [InlineData(ModelContainerFormat.EightStateRansStream)]
    public void A_32_or_8_state_stream_that_is_odd_cut_short_or_does_not_end_in_its_start_state_is_refused(byte mode)
    {
        var data = Data("geometric", 5_000);
        var stream = Stream(data, mode);

        var odd = Assert.Throws<ModelContainerException>(() => DecodeInPieces(stream with { Coded = [.. stream.Coded, 0] }, data.Length, vectors: true));
        Assert.Contains("takes an even", odd.Message);
        foreach (var vectors in new[] { true, false })
        {
            // Two bytes fewer (the last word gone), the symbol count then one more: the same errors either way.
            var cut = Assert.Throws<ModelContainerException>(() => DecodeInPieces(stream with { Coded = stream.Coded[..^2] }, data.Length, vectors));
            Assert.Contains("ends before its symbols do", cut.Message);
            // One symbol fewer: its word is left over, or the states are not back at the start.
            var shorter = Assert.Throws<ModelContainerException>(() => DecodeInPieces(stream, data.Length - 1, vectors));
            Assert.Matches("a rANS stream (ends in state|of [0-9]+ bytes ends after)", shorter.Message);
        }
    }

    [Theory]
    [InlineData(ModelContainerFormat.WideRansStream, 8192, "a rANS frequency is 8192, more than the 4096 allowed")]
    [InlineData(ModelContainerFormat.WideRansStream, 2000, "a rANS frequency table sums to 4000; expected exactly 4096")]
    [InlineData(ModelContainerFormat.FineWideRansStream, 16385, "a rANS frequency is 16385, more than the 16384 allowed")]
    [InlineData(ModelContainerFormat.FineWideRansStream, 2048, "a rANS frequency table sums to 4096; expected exactly 16384")]
    [InlineData(ModelContainerFormat.EightStateRansStream, 8192, "a rANS frequency is 8192, more than the 4096 allowed")]
    [InlineData(ModelContainerFormat.FineEightStateRansStream, 2048, "a rANS frequency table sums to 4096; expected exactly 16384")]
    public void A_32_or_8_state_table_must_sum_to_its_scale(byte mode, int half, string expected)
    {
        var frequencies = new int[256];
        frequencies[0] = frequencies[200] = half;
        var coded = new byte[4 * StatesOf(mode)];
        for (var s = 0; s < StatesOf(mode); s++) BitConverter.GetBytes(ModelContainerFormat.WideRansLowerBound).CopyTo(coded, 4 * s);

        var error = Assert.Throws<ModelContainerException>(() => DecodeInPieces(new CodedStream(frequencies, coded, mode), 0, vectors: true));

        Assert.Contains(expected, error.Message);
        Assert.Empty(DecodeInPieces(new CodedStream(Halves(mode), coded, mode), 0, vectors: true));
    }

    [Theory]
    [InlineData(ModelContainerFormat.WideRansStream, 0, 0u)]
    [InlineData(ModelContainerFormat.WideRansStream, 31, (1u << 16) - 1)]
    [InlineData(ModelContainerFormat.EightStateRansStream, 7, (1u << 16) - 1)]
    [InlineData(ModelContainerFormat.FineEightStateRansStream, 3, 5u)]
    public void A_32_or_8_state_stream_starting_below_2_to_the_16_is_refused(byte mode, int which, uint state)
    {
        var coded = new byte[4 * StatesOf(mode)];
        for (var s = 0; s < StatesOf(mode); s++) BitConverter.GetBytes(s == which ? state : ModelContainerFormat.WideRansLowerBound).CopyTo(coded, 4 * s);
        var stream = new CodedStream(Halves(mode), coded, mode);

        var error = Assert.Throws<ModelContainerException>(() => DecodeInPieces(stream, 0, vectors: true));

        Assert.Contains($"a rANS stream starts in state {state}; expected 65536 to {uint.MaxValue}", error.Message);
        Assert.Equal(4 * which + Payload(stream).Length - coded.Length, error.Offset);
    }

    [Fact]
    public void The_writer_uses_32_states_for_long_streams_from_version_5_and_stays_within_half_a_percent_of_four()
    {
        // A pruned int8 tensor: 85 % zeros and a long tail of rare values, each of which the 2^12 table gives 1/4096.
        var random = new Random(4);
        var tail = new byte[400_000];
        for (var i = 0; i < tail.Length; i++)
            tail[i] = random.NextDouble() < 0.85 ? (byte)0 : (byte)(sbyte)Math.Clamp(Math.Round(Gaussian(random) * 25), -127, 127);
        var tail5 = TensorPayloadEncoder.Encode(tail, 1, version: 5);
        var tail4 = TensorPayloadEncoder.Encode(tail, 1, version: 4);
        Assert.Equal(ModelContainerFormat.FineWideRansStream, tail5[1]);
        Assert.InRange(tail5.Length, tail4.Length - 16, tail4.Length * 1.005);
        output.WriteLine($"400,000 pruned int8 bytes: version 5 {tail5.Length:N0}, version 4 {tail4.Length:N0}");

        var data = Data("geometric", 200_000);
        var small = Data("94.5 % zeros", 20_000);

        var version5 = TensorPayloadEncoder.Encode(data, 1, version: 5);
        var version4 = TensorPayloadEncoder.Encode(data, 1, version: 4);

        Assert.Equal(ModelContainerFormat.WideRansStream, version5[1]);
        Assert.Equal(ModelContainerFormat.FourStateRansStream, version4[1]);
        Assert.Equal(ModelContainerFormat.FourStateRansStream, TensorPayloadEncoder.Encode(small, 1, version: 5)[1]);
        Assert.InRange(version5.Length, version4.Length - 16, version4.Length * 1.005);
        output.WriteLine($"200,000 geometric bytes: version 5 {version5.Length:N0}, version 4 {version4.Length:N0}");
    }

    [Fact]
    public void The_writer_uses_8_states_for_medium_streams_from_version_6_and_stays_within_half_a_percent_of_four()
    {
        // About 14 KB of entropy: under the 32 states' 22,400 bytes, over the 8 states' 3,200.
        var medium = Data("geometric", 20_000);
        var version6 = TensorPayloadEncoder.Encode(medium, 1, version: 6);
        var version5 = TensorPayloadEncoder.Encode(medium, 1, version: 5);
        // The 94.5 % zeros stream has about 1.9 KB of entropy: four states still (version 7 codes it as a sparse payload).
        var small = TensorPayloadEncoder.Encode(Data("94.5 % zeros", 20_000), 1, version: 6);

        Assert.Contains(version6[1], new[] { ModelContainerFormat.EightStateRansStream, ModelContainerFormat.FineEightStateRansStream, ModelContainerFormat.SmoothEightStateRansStream });
        // Version 5: four states or Huffman (its table is smaller than rANS's for this stream's 200 symbols).
        Assert.Contains(version5[1], new[] { ModelContainerFormat.FourStateRansStream, ModelContainerFormat.HuffmanStream });
        Assert.InRange(version6.Length, 1, version5.Length * 1.005);
        Assert.Contains(small[1], new[] { ModelContainerFormat.FourStateRansStream, ModelContainerFormat.SmoothFourStateRansStream });
        // Long streams keep 32 states.
        Assert.Contains(TensorPayloadEncoder.Encode(Data("geometric", 200_000), 1)[1], new[] { ModelContainerFormat.WideRansStream, ModelContainerFormat.SmoothWideRansStream });
        output.WriteLine($"20,000 geometric bytes: version 6 {version6.Length:N0} (mode {version6[1]}), version 5 {version5.Length:N0}");
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A coded stream: its frequencies, the bytes after its byte count, and its mode.</summary>
    private sealed record CodedStream(int[] Frequencies, byte[] Coded, byte Mode = ModelContainerFormat.WideRansStream);

    private static int ScaleBitsOf(byte mode) => mode is ModelContainerFormat.FineWideRansStream or ModelContainerFormat.FineEightStateRansStream ? ModelContainerFormat.RansScaleBits : ModelContainerFormat.WideRansScaleBits;

    private static CodedStream Stream(byte[] data, byte mode = ModelContainerFormat.WideRansStream)
    {
        var counts = new long[256];
        foreach (var b in data) counts[b]++;
        if (data.Length == 0) counts[0] = 1;
        var frequencies = RansFrequencies.For(counts, ScaleBitsOf(mode));
        return new CodedStream(frequencies, RansEncoder.EncodeWide(data, frequencies, ScaleBitsOf(mode), StatesOf(mode)), mode);
    }

    private static int[] Halves(byte mode = ModelContainerFormat.WideRansStream)
    {
        var counts = new long[256];
        counts[0] = counts[200] = 1;
        return RansFrequencies.For(counts, ScaleBitsOf(mode));
    }

    // A one-plane payload: plane count, mode, table, byte count, bytes.
    private static byte[] Payload(CodedStream stream)
    {
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        for (var s = 0; s < 256; s++) if (stream.Frequencies[s] > 0) bitmap[s >> 3] |= (byte)(1 << (s & 7));
        var payload = new ContainerBuffer().Byte(1).Byte(stream.Mode).Bytes(bitmap);
        foreach (var f in stream.Frequencies) if (f > 0) payload.Varint(f);
        return payload.Varint(stream.Coded.Length).Bytes(stream.Coded).ToArray();
    }

    // One decoder on its own, in pieces of 1, 7, 33, 4,096, ... symbols, so that pieces end inside a turn.
    private static byte[] DecodeInPieces(CodedStream stream, int symbols, bool vectors, bool finish = true)
    {
        var payload = Payload(stream);
        var decoder = new WideRansStream(new RansTable(), vectors, StatesOf(stream.Mode));
        var reader = new ContainerReader(payload, 2);
        decoder.Read(ref reader, symbols, ScaleBitsOf(stream.Mode));
        var decoded = new byte[symbols];
        int[] pieces = [1, 7, 33, 4_096, 65, 20_000];
        for (int done = 0, k = 0; done < symbols; k++)
        {
            var piece = Math.Min(pieces[k % pieces.Length], symbols - done);
            decoder.DecodeNext(payload, decoded.AsSpan(done, piece));
            done += piece;
        }
        if (finish) decoder.Finish();
        return decoded;
    }

    private static (byte[]? Decoded, string? Error) Attempt(Func<byte[]> decode)
    {
        try
        {
            return (decode(), null);
        }
        catch (ModelContainerException e)
        {
            return (null, $"{e.Offset}: {e.Message}");
        }
    }
}
