using System.Runtime.InteropServices;
using ModelBuild.Compression.Packing;
using ModelBuild.Runtime.Packing;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// Version 7's sparse payload with its flags as a bitmap (eight to a byte): a pruned tensor's entropy decoder turns out
/// an eighth of the symbols, and the expansion places eight elements a step. The writer takes it where it costs at
/// most 0.5 % more than byte flags, and for int8 tensors that are mostly zeros; the decoder checks its counts and the
/// last byte's unused bits.
/// </summary>
public sealed class SparseBitmapTests(ITestOutputHelper output)
{
    /// <summary>Elements of <paramref name="elementSize"/> bytes, the fraction <paramref name="zeros"/> all-zero, the rest random and non-zero.</summary>
    private static byte[] Pruned(int count, int elementSize, double zeros, int seed)
    {
        var random = new Random(seed);
        var tensor = new byte[count * elementSize];
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < zeros) continue;
            var element = tensor.AsSpan(i * elementSize, elementSize);
            random.NextBytes(element);
            element[^1] |= 1;
        }
        return tensor;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Bitmap_payloads_of_every_element_size_decode_to_the_tensor_at_lengths_around_bytes_and_pieces(int elementSize)
    {
        foreach (var count in new[] { 1, 7, 8, 9, 63, 4_095, 4_097, 16_385, 40_003 })
        {
            foreach (var zeros in new[] { 0.0, 0.5, 0.9, 1.0 })
            {
                foreach (var planes in elementSize == 1 ? [1] : new[] { 1, elementSize })
                {
                    var tensor = Pruned(count, elementSize, zeros, seed: count + elementSize);
                    var container = ForgedContainer.OneTensor(tensor, ForgedContainer.SparseBitmap(tensor, elementSize, planes));

                    Assert.Equal(tensor, ModelContainer.Decode(container));
                }
            }
        }
    }

    /// <summary>The vector expansions (AVX2 for 4-byte elements, SSSE3 for bytes) give the scalar loop's elements.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void The_vector_expansion_gives_the_scalar_loops_elements(int elementSize)
    {
        var random = new Random(elementSize);
        for (var trial = 0; trial < 300; trial++)
        {
            var count = random.Next(0, 3000);
            var bits = new byte[(count + 7) / 8];
            random.NextBytes(bits);
            if (count % 8 != 0) bits[^1] &= (byte)((1 << (count % 8)) - 1);
            var values = new byte[bits.Length * 8 * elementSize];
            random.NextBytes(values);
            var (vector, scalar) = (new byte[count * elementSize], new byte[count * elementSize]);

            BitmapExpand.Expand(bits, values, vector, elementSize);
            BitmapExpand.Expand(bits, values, scalar, elementSize, vectors: false);

            Assert.Equal(scalar, vector);
            var next = 0;
            for (var i = 0; i < count; i++)
            {
                var set = (bits[i / 8] >> (i % 8) & 1) != 0;
                Assert.Equal(set ? values.AsSpan(next++ * elementSize, elementSize).ToArray() : new byte[elementSize], scalar.AsSpan(i * elementSize, elementSize).ToArray());
            }
            Assert.Equal(BitmapExpand.Ones(bits), next);
        }
    }

    /// <summary>
    /// A pruned layer's zeros come in rows and runs (whole filters, whole input features): a bitmap symbol sees eight
    /// flags at once and codes them below their byte flags. The same weights in int8: smaller than their bytes too.
    /// </summary>
    [Fact]
    public void The_writer_codes_structured_zeros_and_pruned_int8_weights_as_bitmaps_no_larger_than_before()
    {
        var random = new Random(3);
        var rows = new float[400 * 256];
        for (var row = 0; row < 400; row++)
        {
            var keep = random.NextDouble() < 0.3;
            for (var column = 0; column < 256; column++)
                rows[row * 256 + column] = keep && random.NextDouble() < 0.5 ? (float)(random.NextDouble() - 0.5) : 0;
        }
        var floats = MemoryMarshal.AsBytes(rows.AsSpan()).ToArray();
        var int8 = rows.Select(v => (byte)(sbyte)Math.Round(v * 250)).ToArray();
        foreach (var (tensor, elementSize) in new[] { (floats, 4), (int8, 1) })
        {
            var (payload, entropy) = TensorPayloadEncoder.EncodeWithEntropy(tensor, elementSize, ModelContainerFormat.Version);
            var version6 = TensorPayloadEncoder.Encode(tensor, elementSize, version: 6);

            Assert.Equal(ModelContainerFormat.SparseBitmapPayload, payload[0]);
            Assert.Equal(tensor, ModelContainer.Decode(ForgedContainer.OneTensor(tensor, payload)));
            Assert.InRange(payload.Length, 1, version6.Length);
            Assert.InRange(payload.Length, entropy, entropy * 1.02 + 200);
            output.WriteLine($"{elementSize}-byte elements, {tensor.Length:N0} bytes: bitmap payload {payload.Length:N0} (entropy {entropy:N0}), version 6 {version6.Length:N0}");
        }
    }

    /// <summary>Bitmap payloads of 10 two-byte elements, elements 1 and 9 non-zero (bitmap and values stored), with one field changed.</summary>
    [Theory]
    [InlineData("valid", "")]
    [InlineData("unused bit set", "a sparse tensor's bitmap flags elements past its last; expected its last byte's 6 unused bits to be zero")]
    [InlineData("non-zero count 3", "a sparse tensor flags 2 non-zero elements; 3 were recorded")]
    [InlineData("non-zero count 1", "a sparse tensor flags more than its 1 non-zero elements")]
    [InlineData("bitmap of 3 bytes", "a sparse tensor's value plane count is 0")]
    [InlineData("version 6", "has 17 byte planes; expected 1, 2, 4 or 8 that divide its length, or payload kind 16 (sparse) or 32 (palette)")]
    public void A_bitmap_payload_is_checked_before_its_bits_are_used(string change, string expected)
    {
        byte[] tensor = [0, 0, 7, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 2];
        var nonZero = change switch { "non-zero count 3" => 3, "non-zero count 1" => 1, _ => 2 };
        byte[] bitmap = change switch { "unused bit set" => [0b0000_0010, 0b0000_0110], "bitmap of 3 bytes" => [0b0000_0010, 0b0000_0010, 0], _ => [0b0000_0010, 0b0000_0010] };
        var payload = new ContainerBuffer().Byte(ModelContainerFormat.SparseBitmapPayload).Byte(2).Varint(nonZero)
            .Byte(ModelContainerFormat.StoredStream).Bytes(bitmap).Byte(1)
            .Byte(ModelContainerFormat.StoredStream).Bytes(new byte[] { 7, 1, 9, 2, 0, 0 }.AsSpan(0, nonZero * 2));

        var container = ForgedContainer.OneTensor(tensor, payload.ToArray(), version: change == "version 6" ? (byte)6 : ModelContainerFormat.Version);

        if (expected == "") Assert.Equal(tensor, ModelContainer.Decode(container));
        else
        {
            var message = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(container)).Message;
            Assert.True(message.Contains(expected), message);
        }
    }
}
