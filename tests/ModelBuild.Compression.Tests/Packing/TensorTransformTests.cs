using System.Runtime.InteropServices;
using ModelBuild.Compression.Packing;
using ModelBuild.Runtime.Packing;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// Version 3's tensor transforms: the non-zero elements with their positions (pruned tensors) and palette indices
/// (at most 256 distinct elements). The writer picks them only where they are smaller; the decoder checks every count
/// and index before it uses it.
/// </summary>
public sealed class TensorTransformTests(ITestOutputHelper output)
{
    private const int Elements = 100_003;

    /// <summary>float32 weights with 90 % set to zero, as magnitude pruning leaves them; more than one 16 KB piece.</summary>
    private static byte[] PrunedFloats()
    {
        var random = new Random(5);
        var values = new float[Elements];
        for (var i = 0; i < values.Length; i++) values[i] = random.NextDouble() < 0.9 ? 0 : (float)(random.NextDouble() - 0.5) * 0.2f;
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    /// <summary>float32 weights clustered to 16 centroids, a third of them zero (Deep Compression's weight sharing after pruning).</summary>
    private static byte[] ClusteredFloats()
    {
        var random = new Random(6);
        var centroids = Enumerable.Range(0, 16).Select(k => k == 0 ? 0f : (float)(random.NextDouble() - 0.5) * 0.3f).ToArray();
        var values = new float[Elements];
        for (var i = 0; i < values.Length; i++) values[i] = random.NextDouble() < 0.33 ? 0 : centroids[random.Next(16)];
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    /// <summary>
    /// Pruned: the zeros cost H(0.1) = 0.47 bits once instead of once per plane. Clustered: 16 levels cost at most 4
    /// bits an element instead of a float's noisy low bytes.
    /// </summary>
    [Theory]
    [InlineData("pruned", ModelContainerFormat.SparsePayload, 0.85)]
    [InlineData("clustered", ModelContainerFormat.PalettePayload, 0.5)]
    public void A_transform_is_chosen_where_it_codes_a_float_tensor_smaller_than_byte_planes(string tensor, byte kind, double atMost)
    {
        var data = tensor == "pruned" ? PrunedFloats() : ClusteredFloats();

        var (payload, entropy) = TensorPayloadEncoder.EncodeWithEntropy(data, 4, ModelContainerFormat.Version);
        var planes = TensorPayloadEncoder.Encode(data, 4, version: 2);

        Assert.Equal(kind, payload[0]);
        Assert.Equal(data, Decode(payload, data.Length));
        Assert.True(payload.Length < atMost * planes.Length, $"{tensor}: {payload.Length} bytes, byte planes {planes.Length}");
        Assert.InRange(payload.Length, entropy, entropy * 1.02 + 200);
        output.WriteLine($"{tensor} {data.Length:N0} bytes: {payload.Length:N0} (entropy {entropy:N0}), byte planes {planes.Length:N0}");
    }

    [Fact]
    public void A_version_2_container_may_not_hold_a_transform()
    {
        var data = ClusteredFloats();
        var payload = TensorPayloadEncoder.Encode(data, 4);

        Assert.Equal(data, ModelContainer.Decode(ForgedContainer.OneTensor(data, payload)));
        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(ForgedContainer.OneTensor(data, payload, version: 2)));
        Assert.Contains($"has {ModelContainerFormat.PalettePayload} byte planes; expected 1, 2, 4 or 8", error.Message);
    }

    /// <summary>Sparse payloads of 8 two-byte elements, elements 1 and 5 non-zero (flags stored, values stored in 1 plane), with one field changed.</summary>
    [Theory]
    [InlineData("valid", "")]
    [InlineData("element size 3", "a sparse tensor's element size is 3 for a tensor of 16 bytes")]
    [InlineData("non-zero count 9", "a sparse tensor's non-zero count is 9, more than the 8 allowed")]
    [InlineData("non-zero count 3", "a sparse tensor flags 2 non-zero elements; 3 were recorded")]
    [InlineData("non-zero count 1", "a sparse tensor flags more than its 1 non-zero elements")]
    [InlineData("flag 2", "element 5 of a sparse tensor has flag 2; expected 0 or 1")]
    [InlineData("value planes 4", "a sparse tensor of 2-byte elements has 4 value planes; expected 1 or 2")]
    [InlineData("value planes 2 of 4-byte elements", "")]
    public void A_sparse_payload_is_checked_before_its_counts_and_flags_are_used(string change, string expected)
    {
        byte[] tensor = [0, 0, 7, 1, 0, 0, 0, 0, 0, 0, 9, 2, 0, 0, 0, 0];
        var elementSize = 2;
        var nonZero = change switch { "non-zero count 9" => 9, "non-zero count 3" => 3, "non-zero count 1" => 1, _ => 2 };
        byte[] flags = [0, 1, 0, 0, 0, change == "flag 2" ? (byte)2 : (byte)1, 0, 0];
        var planes = change == "value planes 4" ? 4 : 1;
        if (change == "element size 3") elementSize = 3;
        var payload = new ContainerBuffer().Byte(ModelContainerFormat.SparsePayload).Byte((byte)elementSize).Varint(nonZero)
            .Byte(ModelContainerFormat.StoredStream).Bytes(flags).Byte((byte)planes);
        for (var p = 0; p < planes; p++) payload.Byte(ModelContainerFormat.StoredStream).Bytes(new byte[] { 7, 1, 9, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }.AsSpan(0, Math.Max(0, nonZero) * 2 / planes));
        if (change == "value planes 2 of 4-byte elements")
        {
            // The same tensor as 4 four-byte elements, values in 2 planes: neither 1 nor the element size, but 2 divides 4.
            payload = new ContainerBuffer().Byte(ModelContainerFormat.SparsePayload).Byte(4).Varint(2)
                .Byte(ModelContainerFormat.StoredStream).Bytes([1, 0, 1, 0]).Byte(2)
                .Byte(ModelContainerFormat.StoredStream).Bytes([0, 7, 0, 9]).Byte(ModelContainerFormat.StoredStream).Bytes([0, 1, 0, 2]);
            expected = "a sparse tensor of 4-byte elements has 2 value planes; expected 1 or 4";
        }

        var container = ForgedContainer.OneTensor(tensor, payload.ToArray());

        if (expected == "") Assert.Equal(tensor, ModelContainer.Decode(container));
        else
        {
            var message = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(container)).Message;
            Assert.True(message.Contains(expected), message);
        }
    }

    /// <summary>Palette payloads of 6 two-byte elements with a palette of 3, one field changed.</summary>
    [Theory]
    [InlineData("valid", "")]
    [InlineData("palette size 0", "a palette has 0 entries; expected 1 to 256")]
    [InlineData("palette size 257", "a palette's size is 257, more than the 256 allowed")]
    [InlineData("index 3", "element 4 of a palette tensor has index 3; expected below the palette's 3 entries")]
    [InlineData("palette past the end", "expected 400 bytes of a palette, found 0 before the end")]
    public void A_palette_payload_is_checked_before_its_indices_are_used(string change, string expected)
    {
        byte[] tensor = [5, 0, 6, 0, 5, 0, 7, 1, 6, 0, 5, 0];
        byte[] indices = [0, 1, 0, 2, change == "index 3" ? (byte)3 : (byte)1, 0];
        var size = change switch { "palette size 0" => 0, "palette size 257" => 257, "palette past the end" => 200, _ => 3 };
        var payload = new ContainerBuffer().Byte(ModelContainerFormat.PalettePayload).Byte(2).Varint(size);
        if (change != "palette past the end") payload.Bytes([5, 0, 6, 0, 7, 1]).Byte(ModelContainerFormat.StoredStream).Bytes(indices);

        var container = ForgedContainer.OneTensor(tensor, payload.ToArray());

        if (expected == "") Assert.Equal(tensor, ModelContainer.Decode(container));
        else
        {
            var message = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(container)).Message;
            Assert.True(message.Contains(expected), message);
        }
    }

    private static byte[] Decode(byte[] payload, int length)
    {
        var decoded = new byte[length];
        var reader = new ContainerReader(payload);
        TensorPayload.Decode(ref reader, decoded);
        Assert.Equal(0, reader.Remaining);
        return decoded;
    }
}
