using System.Diagnostics;
using ModelBuild.Compression.Packing;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// Issue 8: forged headers made the decoder allocate and fill what they declared before rejecting them (a 62-byte
/// container cost 2.14 GB, a 1 MB Deflate bomb inflated 4.2 GB). Each case measures the bytes the decoding thread
/// allocated: a rejected container costs the decoder's working memory and at most the model it declares when that is
/// within <see cref="ModelContainer.MaxOnePassExpansion"/> times its own size, never a declared size beyond that.
/// </summary>
public sealed class ContainerBoundsTests(ITestOutputHelper output)
{
    /// <summary>
    /// An empty graph part, then one tensor coded as one constant byte: every length in range, every field well
    /// formed; only the checksum can tell, so it is checked before the model is allocated. Hashing the declared bytes
    /// is what such a container still costs: 256 MiB keeps the test short; the 2 GB case of issue 8 (a 58-byte
    /// container) is <c>MODELBUILD_FORGED_MODEL_LENGTH=2147483591 dotnet test tests/ModelBuild.Compression.Tests --filter "FullyQualifiedName~ContainerBoundsTests" --logger "console;verbosity=detailed"</c>.
    /// </summary>
    [Fact]
    public void A_tiny_container_declaring_a_huge_constant_tensor_allocates_no_model()
    {
        var length = long.TryParse(Environment.GetEnvironmentVariable("MODELBUILD_FORGED_MODEL_LENGTH"), out var requested) ? requested : 256L << 20;
        var container = ForgedContainer.Header(length, 0, ForgedContainer.Deflate([]))
            .Varint(1).Varint(0).Varint(length).Byte(1).Byte(ModelContainerFormat.ConstantStream).Byte(0).ToArray();
        var clock = Stopwatch.StartNew();

        var (model, error, allocated) = ForgedContainer.Decode(container);

        Assert.Null(model);
        Assert.Contains("does not match the recorded XxHash3 checksum", Assert.IsType<ModelContainerException>(error).Message);
        Assert.InRange(allocated, 0, ForgedContainer.WorkingBytes);
        output.WriteLine($"{container.Length}-byte container declaring {length:N0} bytes: {allocated:N0} bytes allocated, refused after {clock.ElapsedMilliseconds} ms (XxHash3 of the declared bytes)");
    }

    [Theory]
    [InlineData(2_000_000_000L, 1, "cannot be Deflate-compressed into")]
    [InlineData(1_000_000L, 968, "cannot be Deflate-compressed into")]
    public void A_graph_part_longer_than_Deflate_can_code_in_its_bytes_is_refused_before_inflating(long graphLength, int deflatedLength, string expected)
    {
        // 968 bytes of Deflate data hold at most 968 x 1,032 = 998,976 bytes.
        var container = ForgedContainer.Header(graphLength, graphLength, new byte[deflatedLength]).Varint(0).ToArray();

        var (_, error, allocated) = ForgedContainer.Decode(container);

        Assert.Contains(expected, Assert.IsType<ModelContainerException>(error).Message);
        Assert.InRange(allocated, 0, ForgedContainer.WorkingBytes);
    }

    [Fact]
    public void A_Deflate_bomb_is_inflated_no_further_than_its_declared_length_and_allocates_no_more_than_its_size_backs()
    {
        // About 64 KB of Deflate data that inflate to 64 MiB of zeros.
        const long inflated = 64L << 20;
        var bomb = ForgedContainer.DeflatedZeros(inflated);
        var declaredShort = ForgedContainer.Header(1_000_000, 1_000_000, bomb).Varint(0).ToArray();
        var declaredWhole = ForgedContainer.Header(inflated, inflated, bomb).Varint(0).ToArray();

        var (_, shortError, shortAllocated) = ForgedContainer.Decode(declaredShort);
        var (_, wholeError, wholeAllocated) = ForgedContainer.Decode(declaredWhole);

        Assert.Contains("the compressed graph holds more than 1000000 bytes", Assert.IsType<ModelContainerException>(shortError).Message);
        Assert.Contains("does not match the recorded XxHash3 checksum", Assert.IsType<ModelContainerException>(wholeError).Message);
        // 1,000,000 bytes from a 64 KB container are within the one-pass bound: that model, never the 64 MiB.
        Assert.InRange(shortAllocated, 0, 1_000_000 + ForgedContainer.WorkingBytes);
        Assert.InRange(wholeAllocated, 0, ForgedContainer.WorkingBytes);
        output.WriteLine($"bomb of {bomb.Length:N0} bytes ({inflated:N0} inflated): {shortAllocated:N0} bytes allocated declared short, {wholeAllocated:N0} declared whole");
    }

    [Fact]
    public void A_Deflate_bomb_with_the_right_checksum_allocates_its_declared_model_once()
    {
        const long inflated = 16L << 20;
        var bomb = ForgedContainer.DeflatedZeros(inflated);
        var container = ForgedContainer.Header(inflated, inflated, bomb, ForgedContainer.Checksum(new byte[inflated])).Varint(0).ToArray();

        var (model, error, allocated) = ForgedContainer.Decode(container);

        Assert.Null(error);
        Assert.Equal(inflated, model!.Length);
        Assert.InRange(allocated, inflated, inflated + ForgedContainer.WorkingBytes);
    }

    /// <summary>
    /// A rANS table giving one symbol every slot codes any length in its 4 state bytes, as a constant stream does: the
    /// declared length is decoded into the checksum, never allocated, and the wrong checksum refuses it.
    /// </summary>
    [Fact]
    public void A_tiny_rANS_stream_of_one_symbol_declaring_a_huge_tensor_allocates_no_model()
    {
        const long length = 16L << 20;
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        bitmap[0] = 0x01;
        var container = ForgedContainer.Header(length, 0, ForgedContainer.Deflate([]))
            .Varint(1).Varint(0).Varint(length).Byte(1)
            .Byte(ModelContainerFormat.RansStream).Bytes(bitmap).Varint(1 << ModelContainerFormat.RansScaleBits)
            .Varint(4).Bytes(BitConverter.GetBytes(ModelContainerFormat.RansLowerBound)).ToArray();

        var (model, error, allocated) = ForgedContainer.Decode(container);

        Assert.Null(model);
        Assert.Contains("does not match the recorded XxHash3 checksum", Assert.IsType<ModelContainerException>(error).Message);
        Assert.InRange(allocated, 0, ForgedContainer.WorkingBytes);
        output.WriteLine($"{container.Length}-byte container declaring {length:N0} bytes of rANS: {allocated:N0} bytes allocated");
    }

    [Theory]
    [InlineData(1_000_000, 1, "cannot hold 1000000 symbols: its shortest code has 1 bits, so at most 8 fit")]
    [InlineData(9, 1, "cannot hold 9 symbols: its shortest code has 1 bits, so at most 8 fit")]
    [InlineData(1, 2, "a Huffman stream of 1 symbols of at most 1 bits takes at most 1 bytes, but 2 were recorded")]
    public void A_Huffman_stream_declaring_more_or_fewer_symbols_than_its_bytes_can_hold_is_refused(long symbols, int byteCount, string expected)
    {
        // Symbols 0 and 1 with 1-bit codes: exactly 8 symbols per byte.
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        bitmap[0] = 0x03;
        var graph = ForgedContainer.Deflate([]);
        var container = ForgedContainer.Header(symbols, 0, graph)
            .Varint(1).Varint(0).Varint(symbols).Byte(1)
            .Byte(ModelContainerFormat.HuffmanStream).Bytes(bitmap).Byte(0x11).Varint(byteCount).Bytes(new byte[byteCount]).ToArray();

        var (_, error, allocated) = ForgedContainer.Decode(container);

        Assert.Contains(expected, Assert.IsType<ModelContainerException>(error).Message);
        Assert.InRange(allocated, 0, ForgedContainer.WorkingBytes);
    }

    /// <summary>
    /// A stored tensor backs its declared length with its own bytes, so the model is decoded in one pass, hashed as
    /// it goes: a wrong checksum is found after the model was allocated once, and nothing is returned.
    /// </summary>
    [Fact]
    public void A_container_its_size_backs_is_decoded_in_one_pass_and_refused_on_a_wrong_checksum()
    {
        const int length = 100_000;
        var payload = new byte[length];
        new Random(7).NextBytes(payload);
        ContainerBuffer Forged(byte[]? checksum) => ForgedContainer.Header(length, 0, ForgedContainer.Deflate([]), checksum)
            .Varint(1).Varint(0).Varint(length).Byte(1).Byte(ModelContainerFormat.StoredStream).Bytes(payload);
        var wrong = Forged(null).ToArray();
        var right = Forged(ForgedContainer.Checksum(payload)).ToArray();

        var (refused, error, refusedAllocated) = ForgedContainer.Decode(wrong);
        var (model, _, allocated) = ForgedContainer.Decode(right);

        Assert.Null(refused);
        Assert.Contains("does not match the recorded XxHash3 checksum", Assert.IsType<ModelContainerException>(error).Message);
        Assert.InRange(refusedAllocated, length, length + ForgedContainer.WorkingBytes);
        Assert.Equal(payload, model);
        Assert.InRange(allocated, length, length + ForgedContainer.WorkingBytes);
    }

    [Fact]
    public void A_real_container_allocates_its_model_and_the_working_memory_only()
    {
        var model = OnnxModelFile.ToBytes(ModelCompressor.Compress(TestModels.ConvClassifier(), Recipe.Int8Dynamic).Model);
        var container = ModelContainerWriter.Write(model);
        ForgedContainer.Decode(container);

        var (decoded, error, allocated) = ForgedContainer.Decode(container);

        Assert.Null(error);
        Assert.Equal(model, decoded);
        Assert.InRange(allocated, model.Length, model.Length + ForgedContainer.WorkingBytes);
        output.WriteLine($"{container.Length:N0}-byte container -> {model.Length:N0} bytes: {allocated:N0} bytes allocated");
    }
}
