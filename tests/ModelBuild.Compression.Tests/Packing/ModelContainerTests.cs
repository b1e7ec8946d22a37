using ModelBuild.Compression.Data;
using ModelBuild.Compression.Packing;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// The container round trip (bit for bit to the base recipe's ONNX bytes, same ONNX Runtime outputs) and the
/// decoder's checks: a damaged container is a <see cref="ModelContainerException"/> naming the offset, never an
/// index error or a wrong model.
/// </summary>
public sealed class ModelContainerTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> ModelsAndRecipes()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in TestModels.All.Keys)
        {
            foreach (var recipe in new[] { "huffman", "fp16+huffman", "int8-dynamic+huffman" })
                data.Add(model, recipe);
        }
        // Static int8 calibrates the first input: the single-input models.
        foreach (var model in new[] { nameof(TestModels.ConvClassifier), nameof(TestModels.MatMulModel), nameof(TestModels.Ir3Model) })
        {
            data.Add(model, "int8+huffman");
            data.Add(model, "int8-full+huffman");
        }
        data.Add(nameof(TestModels.SubgraphModel), "huffman");
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndRecipes))]
    public void A_packed_model_decodes_to_the_base_recipes_bytes_and_runs_the_same(string modelName, string recipeName)
    {
        var original = modelName == nameof(TestModels.SubgraphModel) ? TestModels.SubgraphModel() : TestModels.All[modelName]();
        var recipe = Recipe.Parse(recipeName);
        var settings = Settings(original);

        var packed = ModelCompressor.Compress(original, recipe, settings);
        var plain = ModelCompressor.Compress(original, recipe.Base, settings);

        var container = Assert.IsType<byte[]>(packed.Container);
        Assert.True(ModelContainer.IsContainer(container));
        var decoded = ModelContainer.Decode(container);
        Assert.Equal(OnnxModelFile.ToBytes(plain.Model), decoded);
        Assert.Equal(container, packed.StoredBytes());
        Assert.Equal(new ModelContainerInfo(ModelContainerFormat.Version, container.Length, decoded.Length), ModelContainer.ReadInfo(container));
        var inputs = RandomInputs.For(plain.Model);
        OutputAssert.Same(OrtRunner.Run(OnnxModelFile.ToBytes(plain.Model), inputs), OrtRunner.Run(decoded, inputs));
        output.WriteLine($"{modelName} {recipeName}: {decoded.Length:N0} bytes of ONNX -> {container.Length:N0} stored");
    }

    [Fact]
    public void A_model_that_is_already_plain_onnx_decodes_to_itself_and_is_not_a_container()
    {
        var bytes = OnnxModelFile.ToBytes(TestModels.ConvClassifier());

        Assert.False(ModelContainer.IsContainer(bytes));
        Assert.Same(bytes, ModelContainer.DecodeIfContainer(bytes));
    }

    [Fact]
    public void Weights_are_coded_and_a_model_with_no_weights_still_round_trips()
    {
        var model = TestModels.ConvClassifier();
        var bytes = OnnxModelFile.ToBytes(model);
        var noWeights = model.Clone();
        foreach (var tensor in noWeights.Graph.Initializer) tensor.RawData = Google.Protobuf.ByteString.Empty;
        var empty = OnnxModelFile.ToBytes(noWeights);

        Assert.NotEmpty(RawDataLocator.Find(bytes));
        Assert.Equal(empty, ModelContainer.Decode(ModelContainerWriter.Write(empty)));
        Assert.Equal(bytes, ModelContainer.Decode(ModelContainerWriter.Write(bytes)));
    }

    [Fact]
    public void The_locator_finds_raw_data_in_initializers_constants_and_subgraphs()
    {
        foreach (var model in new[] { TestModels.ConstantWeightsModel(), TestModels.SubgraphModel(), TestModels.ConvClassifier() })
        {
            var bytes = OnnxModelFile.ToBytes(model);
            var expected = ModelTensors.All(model).Where(t => t.RawData.Length > 0)
                .Select(t => Convert.ToHexString(t.RawData.Span)).Order().ToList();

            var found = RawDataLocator.Find(bytes).Select(s => Convert.ToHexString(bytes, s.Offset, s.Length)).Order().ToList();

            Assert.Equal(expected, found);
        }
    }

    [Fact]
    public void A_container_cut_short_anywhere_is_a_container_exception()
    {
        var container = SmallContainer();

        for (var length = 0; length < container.Length; length++)
        {
            var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(container.AsSpan(0, length)));
            Assert.InRange(error.Offset, 0, container.Length);
        }
    }

    [Fact]
    public void Any_changed_byte_is_a_container_exception_never_a_crash_or_a_wrong_model()
    {
        var container = SmallContainer();
        var model = ModelContainer.Decode(container);
        var (deflateStart, deflateEnd) = DeflatedGraph(container);
        var unchanged = new List<string>();

        for (var i = 0; i < container.Length; i++)
        {
            foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])container.Clone();
                damaged[i] ^= flip;
                try
                {
                    Assert.Equal(model, ModelContainer.Decode(damaged));
                    unchanged.Add($"byte {i} ^ 0x{flip:X2}");
                    // The bits Deflate leaves unchecked (its first block's final flag: the graph ends at its declared
                    // length anyway; the unused bits after its last block, in its last two bytes) and the version (a
                    // container without the newer modes is the same container in an older version) are all the format
                    // leaves unchecked: the same model comes out.
                    Assert.True(i == ModelContainerFormat.Magic.Length || i == deflateStart || i >= deflateEnd - 2 && i < deflateEnd, $"byte {i} ^ 0x{flip:X2} (Deflate at {deflateStart} to {deflateEnd}) went unnoticed");
                }
                catch (ModelContainerException)
                {
                }
            }
        }
        output.WriteLine($"{unchanged.Count} of {3 * container.Length} changes decoded to the same model: {string.Join(", ", unchanged)}");
    }

    /// <summary>
    /// From version 6 a tensor under 256 bytes whose payload saves less than an eighth of it stays in the graph part
    /// (Deflate codes it about as well); version 5 coded it. Both decode to the model.
    /// </summary>
    [Fact]
    public void A_small_tensor_whose_payload_saves_little_stays_in_the_graph_part_from_version_6()
    {
        var (model, span) = TestModels.All.Values
            .Select(make => OnnxModelFile.ToBytes(ModelCompressor.Compress(make(), Recipe.Int8Dynamic).Model))
            .SelectMany(bytes => RawDataLocator.Find(bytes).Select(span => (Model: bytes, Span: span)))
            .First(candidate =>
            {
                var payload = TensorPayloadEncoder.Encode(candidate.Model.AsSpan(candidate.Span.Offset, candidate.Span.Length), candidate.Span.ElementSize);
                return candidate.Span.Length < ModelContainerWriter.SmallTensor && payload.Length < candidate.Span.Length && payload.Length > candidate.Span.Length * 7 / 8;
            });
        var current = ModelContainerWriter.Write(model);
        var older = ModelContainerWriter.Write(model, version: 5);

        output.WriteLine($"a {span.Length}-byte tensor; containers: version 6 {current.Length} bytes with {TensorCount(current)} coded tensors, version 5 {older.Length} with {TensorCount(older)}");
        Assert.Equal(TensorCount(older) - CountSmallSavingLittle(model), TensorCount(current));
        Assert.Equal(model, ModelContainer.Decode(current));
        Assert.Equal(model, ModelContainer.Decode(older));
    }

    // The tensors the version 6 rule leaves in the graph part that version 5 coded.
    private static int CountSmallSavingLittle(byte[] model) => RawDataLocator.Find(model).Count(span =>
    {
        var payload = TensorPayloadEncoder.Encode(model.AsSpan(span.Offset, span.Length), span.ElementSize, version: 5);
        var payload6 = TensorPayloadEncoder.Encode(model.AsSpan(span.Offset, span.Length), span.ElementSize);
        return payload.Length < span.Length && span.Length < ModelContainerWriter.SmallTensor && payload6.Length > span.Length * 7 / 8;
    });

    // The tensor count, the varint after the compressed graph.
    private static long TensorCount(byte[] container)
    {
        var at = DeflatedGraph(container).End;
        long value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = container[at++];
            value |= (long)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }

    // Where the compressed graph starts and ends: after the magic, version, model length, checksum, graph length and its length.
    private static (int Start, int End) DeflatedGraph(byte[] container)
    {
        var at = ModelContainerFormat.Magic.Length + 1;
        long Varint()
        {
            long value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = container[at++];
                value |= (long)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
        Varint();
        at += ModelContainerFormat.ChecksumLength(container[ModelContainerFormat.Magic.Length]);
        Varint();
        var length = (int)Varint();
        return (at, at + length);
    }

    [Fact]
    public void Extra_bytes_after_the_container_are_refused()
    {
        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode([.. SmallContainer(), 0]));

        Assert.Contains("expected the end of the container, found 1 more bytes", error.Message);
    }

    [Fact]
    public void A_bad_magic_says_what_was_expected()
    {
        var onnx = OnnxModelFile.ToBytes(TestModels.ConvClassifier());

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(onnx));

        Assert.Equal(0, error.Offset);
        Assert.Contains("expected the ModelBuild container magic 894D42430D0A1A0A", error.Message);
        Assert.Contains("Rebuild the project", error.Message);
    }

    [Fact]
    public void An_unknown_format_version_is_named()
    {
        var container = SmallContainer();
        container[ModelContainerFormat.Magic.Length] = 8;

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(container));

        Assert.Contains("format version 8 is not supported: this runtime reads versions 1 to 7", error.Message);
    }

    [Theory]
    [InlineData(new[] { 0, 16384 }, 4, "with frequency 0")]
    [InlineData(new[] { 8000, 8000 }, 4, "sums to 16000; expected exactly 16384")]
    [InlineData(new[] { 16385 }, 4, "more than the 16384 allowed")]
    [InlineData(new[] { 8192, 8192 }, 3, "takes 4 to 4 bytes, but 3 were recorded")]
    [InlineData(new[] { 8192, 8192 }, 5, "takes 4 to 4 bytes, but 5 were recorded")]
    public void A_bad_rANS_table_or_length_is_refused(int[] frequencies, int byteCount, string expected)
    {
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        bitmap[0] = (byte)((1 << frequencies.Length) - 1);
        var table = new ContainerBuffer().Bytes(bitmap);
        foreach (var f in frequencies) table.Varint(f);
        var payload = new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.RansStream).Bytes(table.ToArray()).Varint(byteCount).Bytes(new byte[byteCount]).ToArray();

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade([1, 2, 3], payload, tensorLength: 0)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_rANS_stream_that_does_not_end_in_its_start_state_is_refused()
    {
        // An empty tensor: the 4 state bytes are all the stream, and they must be the start state.
        byte[] Payload(uint state) => new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.RansStream).Bytes(RansTableOf(0, 1)).Varint(4).Bytes(BitConverter.GetBytes(state)).ToArray();

        Assert.Equal([1, 2, 3], ModelContainer.Decode(HandMade([1, 2, 3], Payload(ModelContainerFormat.RansLowerBound), tensorLength: 0)));
        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade([1, 2, 3], Payload(ModelContainerFormat.RansLowerBound + 1), tensorLength: 0)));
        Assert.Contains($"ends in state {ModelContainerFormat.RansLowerBound + 1}; expected {ModelContainerFormat.RansLowerBound}", error.Message);
    }

    /// <summary>Version 1 (no rANS), version 2 (one-state rANS), version 3 (SHA-256, two-state rANS), version 4 (four-state rANS) and version 5 (32-state rANS) containers still decode (version 6 adds smooth tables and eight-state rANS); a stream mode newer than the container's version is unknown to it.</summary>
    [Theory]
    [InlineData(1, ModelContainerFormat.RansStream)]
    [InlineData(2, ModelContainerFormat.InterleavedRansStream)]
    [InlineData(3, ModelContainerFormat.FourStateRansStream)]
    [InlineData(4, ModelContainerFormat.WideRansStream)]
    [InlineData(4, ModelContainerFormat.FineWideRansStream)]
    [InlineData(5, ModelContainerFormat.SmoothRansStream)]
    [InlineData(5, ModelContainerFormat.SmoothInterleavedRansStream)]
    [InlineData(5, ModelContainerFormat.SmoothFourStateRansStream)]
    [InlineData(5, ModelContainerFormat.SmoothWideRansStream)]
    [InlineData(5, ModelContainerFormat.EightStateRansStream)]
    [InlineData(5, ModelContainerFormat.FineEightStateRansStream)]
    [InlineData(5, ModelContainerFormat.SmoothEightStateRansStream)]
    public void An_older_container_still_decodes_and_may_not_hold_a_newer_stream_mode(byte version, byte newerMode)
    {
        var model = OnnxModelFile.ToBytes(ModelCompressor.Compress(TestModels.ConvClassifier(), Recipe.Int8Dynamic).Model);
        var older = ModelContainerWriter.Write(model, version);
        var current = ModelContainerWriter.Write(model);

        Assert.Equal(version, ModelContainer.ReadInfo(older).FormatVersion);
        Assert.Equal(model, ModelContainer.Decode(older));
        Assert.Equal(model, ModelContainer.Decode(current));
        Assert.True(current.Length <= older.Length + 64, $"version {ModelContainerFormat.Version} {current.Length} bytes, version {version} {older.Length}");
        output.WriteLine($"{model.Length:N0} bytes: version {version} {older.Length:N0}, version {ModelContainerFormat.Version} {current.Length:N0}");

        // An empty tensor: the state bytes are all the stream.
        var states = StatesOf(newerMode);
        // Smooth tables (version 6): symbols 0 and 1, bins of 1, order 0, both levels 0 (two differences of 0: bits 1 1).
        byte[] table = newerMode switch
        {
            >= ModelContainerFormat.SmoothRansStream and <= ModelContainerFormat.SmoothWideRansStream or ModelContainerFormat.SmoothEightStateRansStream => [0, 1, 0, 0xC0],
            ModelContainerFormat.WideRansStream or ModelContainerFormat.EightStateRansStream => RansTableOf(0, 1, half: 2048),
            _ => RansTableOf(0, 1),
        };
        var payload = new ContainerBuffer().Byte(1).Byte(newerMode).Bytes(table).Varint(4 * states);
        var start = states >= ModelContainerFormat.EightRansStates ? ModelContainerFormat.WideRansLowerBound : ModelContainerFormat.RansLowerBound;
        for (var s = 0; s < states; s++) payload.Bytes(BitConverter.GetBytes(start));
        Assert.Equal([1, 2, 3], ModelContainer.Decode(HandMade([1, 2, 3], payload.ToArray(), tensorLength: 0)));
        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade([1, 2, 3], payload.ToArray(), tensorLength: 0, version: version)));
        Assert.Contains($"stream mode {newerMode} is unknown in a version {version} container", error.Message);
    }

    /// <summary>The decoding loops rely on every state starting in [2^23, 2^31), as the encoder leaves it; either state of an interleaved stream is checked.</summary>
    [Theory]
    [InlineData(ModelContainerFormat.RansStream, 0, (1u << 31))]
    [InlineData(ModelContainerFormat.RansStream, 0, (1u << 23) - 1)]
    [InlineData(ModelContainerFormat.InterleavedRansStream, 0, uint.MaxValue)]
    [InlineData(ModelContainerFormat.InterleavedRansStream, 1, 0u)]
    [InlineData(ModelContainerFormat.FourStateRansStream, 3, (1u << 31))]
    public void A_rANS_state_outside_its_range_is_refused(byte mode, int which, uint state)
    {
        var states = StatesOf(mode);
        var stateBytes = new ContainerBuffer();
        for (var s = 0; s < states; s++) stateBytes.Bytes(BitConverter.GetBytes(s == which ? state : ModelContainerFormat.RansLowerBound));
        var payload = new ContainerBuffer().Byte(1).Byte(mode).Bytes(RansTableOf(0, 1)).Varint(4 * states).Bytes(stateBytes.ToArray()).ToArray();

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade([1, 2, 3], payload, tensorLength: 0)));

        Assert.Contains($"a rANS stream starts in state {state}; expected {ModelContainerFormat.RansLowerBound} to {(1u << 31) - 1}", error.Message);
    }

    private static int StatesOf(byte ransMode) => ransMode switch
    {
        ModelContainerFormat.WideRansStream or ModelContainerFormat.FineWideRansStream or ModelContainerFormat.SmoothWideRansStream => ModelContainerFormat.WideRansStates,
        ModelContainerFormat.EightStateRansStream or ModelContainerFormat.FineEightStateRansStream or ModelContainerFormat.SmoothEightStateRansStream => ModelContainerFormat.EightRansStates,
        ModelContainerFormat.FourStateRansStream or ModelContainerFormat.SmoothFourStateRansStream => 4,
        ModelContainerFormat.InterleavedRansStream or ModelContainerFormat.SmoothInterleavedRansStream => 2,
        _ => 1,
    };

    // A rANS table giving two symbols half the slots each (2^14 slots, or 2^12 for the 32-state mode).
    private static byte[] RansTableOf(byte first, byte second, int half = 8192)
    {
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        bitmap[first >> 3] |= (byte)(1 << (first & 7));
        bitmap[second >> 3] |= (byte)(1 << (second & 7));
        return new ContainerBuffer().Bytes(bitmap).Varint(half).Varint(half).ToArray();
    }

    [Fact]
    public void A_length_that_overflows_is_refused_before_anything_is_allocated()
    {
        byte[] header = [.. ModelContainerFormat.Magic, ModelContainerFormat.Version];

        var tooLong = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode([.. header, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]));
        var tooLarge = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode([.. header, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]));

        Assert.Contains("the model length is a number longer than 9 bytes", tooLong.Message);
        Assert.Contains($"more than the {Array.MaxLength} allowed", tooLarge.Message);
    }

    [Fact]
    public void A_checksum_that_does_not_match_is_refused()
    {
        var container = SmallContainer();
        // The checksum follows the magic, the version and the model length (a varint of 2 bytes for this model).
        container[ModelContainerFormat.Magic.Length + 1 + 2 + 5] ^= 0x40;

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(container));

        Assert.Contains("does not match the recorded XxHash3 checksum", error.Message);
    }

    /// <summary>
    /// A byte of a version 4 container's payload flipped where only the checksum can tell (a stored stream): refused
    /// as before XxHash3 replaced SHA-256, MB1022 for a file and the same message for each version's checksum.
    /// </summary>
    [Theory]
    [InlineData(3, "SHA-256")]
    [InlineData(4, "XxHash3")]
    public void A_flipped_payload_byte_fails_the_checksum_with_MB1022(byte version, string checksum)
    {
        var tensor = Enumerable.Range(0, 64).Select(i => (byte)(i * 37)).ToArray();
        var payload = new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.StoredStream).Bytes(tensor).ToArray();
        var container = ForgedContainer.OneTensor(tensor, payload, version);
        Assert.Equal(tensor, ModelContainer.Decode(container));
        container[^10] ^= 0x04;
        var path = Path.Combine(Path.GetTempPath(), $"modelbuild-flipped-{version}-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, container);
        try
        {
            var error = Assert.Throws<CompressionException>(() => StoredModelFile.Load(path));

            Assert.Equal(ModelBuild.Contracts.Diagnostics.DiagnosticCodes.DamagedContainer, error.Code);
            Assert.Contains($"does not match the recorded {checksum} checksum", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0, 0, 0 }, "names 1 symbols; expected at least 2")]
    [InlineData(new byte[] { 0x07, 0, 0, 0 }, "do not form a complete prefix code")]
    [InlineData(new byte[] { 0x03, 0, 0, 0 }, "with length 0")]
    public void A_bad_code_table_is_refused(byte[] bitmapStart, string expected)
    {
        // One tensor of 4 bytes in one plane, coded with the given table: one symbol; three symbols of length 1
        // (Kraft sum 3/2); two symbols, the second of length 0.
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        bitmapStart.CopyTo(bitmap, 0);
        var nibbles = bitmapStart[0] == 0x07 ? new byte[] { 0x11, 0x01 } : new byte[] { 0x01 };
        var payload = new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.HuffmanStream).Bytes(bitmap).Bytes(nibbles).Varint(1).Byte(0b0101_0000).ToArray();

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade(skeleton: [1, 2, 3], payload, tensorLength: 4)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_hand_made_container_decodes_and_a_stream_that_ends_early_is_refused()
    {
        var bitmap = new byte[ModelContainerFormat.SymbolBitmapLength];
        bitmap[0] = 0x03; // symbols 0 and 1, one bit each: 0 -> 0, 1 -> 1
        byte[] Payload(byte bits, int byteCount) =>
            new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.HuffmanStream).Bytes(bitmap).Byte(0x11).Varint(byteCount).Bytes(new byte[] { bits }.AsSpan(0, byteCount)).ToArray();

        Assert.Equal([1, 2, 0, 1, 0, 1, 3], ModelContainer.Decode(HandMade([1, 2, 3], Payload(0b0101_0000, 1), tensorLength: 4)));
        var shortStream = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade([1, 2, 3], Payload(0, 0), tensorLength: 4)));
        var badPadding = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade([1, 2, 3], Payload(0b0101_0001, 1), tensorLength: 4)));
        Assert.Contains("a Huffman stream of 0 bytes cannot hold 4 symbols", shortStream.Message);
        Assert.Contains("padding bits", badPadding.Message);
    }

    [Fact]
    public void A_tensor_that_does_not_fit_the_model_is_refused()
    {
        var payload = new ContainerBuffer().Byte(1).Byte(ModelContainerFormat.ConstantStream).Byte(9).ToArray();

        var error = Assert.Throws<ModelContainerException>(() => ModelContainer.Decode(HandMade([1, 2, 3], payload, tensorLength: 4, declaredModelLength: 5)));

        Assert.Contains("does not fit the 5-byte model", error.Message);
    }

    // A container of 3 graph bytes with one tensor spliced in after the second, built field by field; the checksum
    // is of the model the test's payload decodes to.
    private static byte[] HandMade(byte[] skeleton, byte[] payload, int tensorLength, int? declaredModelLength = null, byte version = ModelContainerFormat.Version)
    {
        var deflated = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(deflated, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(skeleton);
        byte[] model = [skeleton[0], skeleton[1], .. new byte[] { 0, 1, 0, 1 }.AsSpan(0, tensorLength), skeleton[2]];
        return new ContainerBuffer().Bytes(ModelContainerFormat.Magic).Byte(version)
            .Varint(declaredModelLength ?? skeleton.Length + tensorLength).Bytes(ModelContainerFormat.Checksum(model, version))
            .Varint(skeleton.Length).Varint(deflated.Length).Bytes(deflated.ToArray())
            .Varint(1).Varint(2).Varint(tensorLength).Bytes(payload).ToArray();
    }

    private static byte[] SmallContainer() => ModelContainerWriter.Write(OnnxModelFile.ToBytes(TestModels.MatMulModel()));

    private static CompressionSettings Settings(ModelProto original) => new()
    {
        CalibrationInputs = Enumerable.Range(1, 16).Select(seed => RandomInputs.For(original, seed: seed).Values.First())
            .Select(input => new ImageTensor((float[])input.Data, input.Shape)).ToList(),
    };
}
