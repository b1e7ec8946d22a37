using ModelBuild.Compression.Packing;
using ModelBuild.Runtime.Packing;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// The smooth rANS tables of container version 6 (stream modes 8 to 11, <see cref="SmoothFrequencyTable"/>): the writer
/// takes one where it is smaller (bell-shaped quantized weights, whose own table is a varint per symbol) and keeps the
/// stream's own table where not; the streams decode back; the frequencies always sum to the scale; damaged tables are
/// refused before anything is decoded.
/// </summary>
public sealed class SmoothTableTests(ITestOutputHelper output)
{
    /// <summary>Int8 weights as quantization leaves them: about normal around 0, two's complement bytes.</summary>
    public static byte[] BellShapedBytes(int length, int seed, double spread = 20)
    {
        var random = new Random(seed);
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            // Irwin-Hall: the sum of 12 uniforms less 6 is close to a standard normal.
            double normal = -6;
            for (var k = 0; k < 12; k++) normal += random.NextDouble();
            data[i] = (byte)(sbyte)Math.Clamp(Math.Round(normal * spread), -127, 127);
        }
        return data;
    }

    /// <summary>One state below 800 bytes of entropy, two below 1,600, four below 3,200, eight above (version 6), 32 where version 5 had 32.</summary>
    [Theory]
    [InlineData(1500, 2, ModelContainerFormat.SmoothRansStream)]
    [InlineData(1500, 20, ModelContainerFormat.SmoothInterleavedRansStream)]
    [InlineData(3000, 20, ModelContainerFormat.SmoothFourStateRansStream)]
    [InlineData(12000, 20, ModelContainerFormat.SmoothEightStateRansStream)]
    [InlineData(60000, 20, ModelContainerFormat.SmoothWideRansStream)]
    public void Bell_shaped_weights_take_a_smooth_table_smaller_than_version_5s_and_decode_back(int length, double spread, byte mode)
    {
        var data = BellShapedBytes(length, seed: length, spread);

        var payload = TensorPayloadEncoder.Encode(data, 1);
        var older = TensorPayloadEncoder.Encode(data, 1, version: 5);

        output.WriteLine($"{length:N0} bytes: version 6 {payload.Length:N0} (mode {payload[1]}), version 5 {older.Length:N0} (mode {older[1]}), order-0 entropy {PackedWeightStatistics.OrderZeroBytes(data):N1}");
        Assert.Equal(mode, payload[1]);
        // The own table: a 32-byte bitmap and half a byte (Huffman) or 1-2 bytes (rANS) for each of 10-140 symbols;
        // the smooth one a few to a few dozen bytes.
        Assert.True(payload.Length < older.Length - 20, $"version 6 {payload.Length} bytes, version 5 {older.Length}");
        var decoded = new byte[length];
        var reader = new ContainerReader(payload);
        TensorPayload.Decode(ref reader, decoded);
        Assert.Equal(data, decoded);
        Assert.Equal(data, ModelContainer.Decode(ForgedContainer.OneTensor(data, payload)));
    }

    [Fact]
    public void Two_symbols_far_apart_keep_their_own_table()
    {
        // 0 and 128, 1 % of the latter: a smooth table's run would give each of the 127 symbols between a slot,
        // costing more than the own table's bitmap and two varints.
        var random = new Random(3);
        var data = new byte[60000];
        for (var i = 0; i < data.Length; i++) data[i] = random.NextDouble() < 0.01 ? (byte)128 : (byte)0;

        var payload = TensorPayloadEncoder.Encode(data, 1);

        Assert.Equal(TensorPayloadEncoder.Encode(data, 1, version: 5), payload);
        Assert.True(payload[1] is ModelContainerFormat.InterleavedRansStream or ModelContainerFormat.FourStateRansStream, $"mode {payload[1]}");
        Assert.Equal(data, ModelContainer.Decode(ForgedContainer.OneTensor(data, payload)));
    }

    [Fact]
    public void A_smooth_table_always_sums_to_its_scale_with_every_symbol_of_its_run_at_least_1()
    {
        var random = new Random(11);
        var frequencies = new int[256];
        for (var trial = 0; trial < 3000; trial++)
        {
            var first = random.Next(256);
            var count = trial % 3 == 0 ? 256 : random.Next(1, 257);
            var width = random.Next(1, SmoothFrequencyTable.MaxBinWidth + 1);
            var levels = new byte[SmoothFrequencyTable.BinCount(count, width)];
            // Extremes too: every level at the top, one level at the top and the rest at 0.
            for (var b = 0; b < levels.Length; b++)
                levels[b] = (byte)(trial % 5 == 0 ? SmoothFrequencyTable.MaxLevel : trial % 5 == 1 ? (b == 0 ? SmoothFrequencyTable.MaxLevel : 0) : random.Next(SmoothFrequencyTable.MaxLevel + 1));
            var scaleBits = trial % 2 == 0 ? ModelContainerFormat.RansScaleBits : ModelContainerFormat.WideRansScaleBits;

            SmoothFrequencyTable.Fill(first, count, width, levels, scaleBits, frequencies);

            Assert.Equal(1 << scaleBits, frequencies.Sum());
            for (var i = 0; i < 256; i++)
            {
                var inRun = ((i - first) & 255) < count;
                Assert.True(inRun ? frequencies[i] >= 1 : frequencies[i] == 0, $"trial {trial}: symbol {i} has {frequencies[i]}");
            }
        }
    }

    /// <summary>
    /// Each check of a smooth table (mode 8 on an empty tensor: the table, then a one-state stream of 4 bytes): symbols 0
    /// and 1 in bins of one, order 0, then the level bits.
    /// </summary>
    [Theory]
    [InlineData(new byte[] { 0x01, 0x47 }, "level 0 of a smooth rANS table is 81; expected 0 to 80")]
    [InlineData(new byte[] { 0x00, 0x00 }, "has more than 8 leading zero bits")]
    [InlineData(new byte[] { 0xC1 }, "last byte is not padded with zero bits")]
    [InlineData(new byte[] { 0x80 }, "expected 1 bytes of a smooth rANS table's levels")]
    public void A_bad_smooth_table_is_refused(byte[] levelBits, string expected)
    {
        var payload = new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.SmoothRansStream).Byte(0).Byte(1).Byte(0).Bytes(levelBits);
        // The truncated case ends the container inside the levels; the others are followed by a valid stream.
        if (!expected.StartsWith("expected 1 bytes", StringComparison.Ordinal))
            payload.Varint(4).Bytes(BitConverter.GetBytes(ModelContainerFormat.RansLowerBound));
        var container = EmptyTensor(payload.ToArray());

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(container));

        Assert.Contains(expected, error.Message);
        Assert.InRange(error.Offset, container.Length - payload.Length, container.Length);
    }

    [Fact]
    public void A_valid_smooth_table_on_an_empty_tensor_decodes()
    {
        var payload = new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.SmoothRansStream).Byte(0).Byte(1).Byte(0).Byte(0xC0)
            .Varint(4).Bytes(BitConverter.GetBytes(ModelContainerFormat.RansLowerBound)).ToArray();

        Assert.Equal([1, 2, 3], ModelContainer.Decode(EmptyTensor(payload)));
    }

    // A 3-byte graph part with an empty tensor after its second byte, coded as payload (a container may not declare
    // more tensors than the model has bytes).
    private static byte[] EmptyTensor(byte[] payload)
    {
        byte[] model = [1, 2, 3];
        return ForgedContainer.Header(model.Length, model.Length, ForgedContainer.Deflate(model), ForgedContainer.Checksum(model))
            .Varint(1).Varint(2).Varint(0).Bytes(payload).ToArray();
    }
}
