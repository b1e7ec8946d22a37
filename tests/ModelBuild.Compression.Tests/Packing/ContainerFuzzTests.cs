using System.Diagnostics;
using ModelBuild.Compression.Packing;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using Xunit.Abstractions;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// Seeded mutation fuzzing of the container decoder (issue 8). Seeds are real containers the writer made from the
/// in-code test models; each case mutates one (bit flips, byte sets, truncation, splices, header fields rewritten)
/// and decodes it. Every case must end in a <see cref="ModelContainerException"/> or in a model whose checksum
/// (XxHash3 from version 4, SHA-256 before) is the one the input records, and allocate no more than twice the model it returned plus the decoder's fixed working
/// memory (a refused one: the declared model only when it is at most 32 times the input), and never more than the
/// model length the input declares plus that memory.
/// Runs for <see cref="Duration"/> with a fixed seed; the counts are printed.
/// </summary>
public sealed class ContainerFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(12);

    [Fact]
    public void Mutated_containers_decode_right_or_throw_ModelContainerException_within_their_declared_memory()
    {
        var seeds = Seeds();
        var random = new Random(20261127);
        var clock = Stopwatch.StartNew();
        long cases = 0, decoded = 0, largestAllocation = 0, largestDeclared = 0;
        var largestCase = "";
        while (clock.Elapsed < Duration)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var (input, mutation) = Mutate(seed, seeds, random);
            var (model, error, allocated) = ForgedContainer.Decode(input);
            cases++;

            var declared = DeclaredModelLength(input);
            if (error is not null)
            {
                Assert.True(error is ModelContainerException, $"{mutation}: {error}");
                Assert.True(allocated <= ForgedContainer.RefusedBound(input, declared), $"{mutation}: refused after allocating {allocated:N0} bytes ({declared:N0} declared in {input.Length:N0})");
            }
            else
            {
                decoded++;
                Assert.Equal(declared, model!.Length);
                var version = input[ModelContainerFormat.Magic.Length];
                Assert.Equal(input.AsSpan(ModelContainerFormat.Magic.Length + 1 + ContainerBuffer.VarintLength(declared), ModelContainerFormat.ChecksumLength(version)).ToArray(),
                    ForgedContainer.Checksum(model, version));
                Assert.True(allocated <= 2L * model.Length + ForgedContainer.WorkingBytes, $"{mutation}: {allocated:N0} bytes allocated for a {model.Length:N0}-byte model");
            }
            Assert.True(allocated <= Math.Max(declared, 0) + ForgedContainer.WorkingBytes, $"{mutation}: {allocated:N0} bytes allocated, {declared:N0} declared");
            if (allocated > largestAllocation)
            {
                (largestAllocation, largestCase) = (allocated, mutation);
                largestDeclared = declared;
            }
        }
        output.WriteLine($"{cases:N0} cases in {clock.Elapsed.TotalSeconds:F1} s from {seeds.Count} seed containers ({seeds.Sum(s => s.Length):N0} bytes); {decoded:N0} decoded (checksum matching), the rest ModelContainerException");
        output.WriteLine($"largest allocation {largestAllocation:N0} bytes ({largestCase}; declared model {largestDeclared:N0} bytes; bound: 2 x the decoded model, or the declared model, + {ForgedContainer.WorkingBytes:N0} working bytes)");
        Assert.True(cases > 1000, $"only {cases} cases ran");
    }

    /// <summary>
    /// Containers of every in-code model as <c>huffman</c> and <c>int8-dynamic+huffman</c>: stored, constant, Huffman
    /// and rANS streams, 1 and 4 planes; the int8 ones also as version 3 (SHA-256, two-state rANS), version 2 (one-state
    /// rANS) and version 1 containers (no rANS); pruned and clustered float weights as sparse and palette payloads; a
    /// long int8 weight matrix with a 32-state rANS stream (version 5, dense: 2^12 slots, pruned: 2^14) and as version 4;
    /// bell-shaped int8 weights with smooth tables (version 6, one, two and four states; the dense long matrix: 32 states);
    /// sparse payloads with bitmaps (version 7).
    /// </summary>
    private static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>();
        var ransUsed = false;
        foreach (var model in TestModels.All.Values.Append(() => Pruned(TestModels.MatMulModel())))
        {
            seeds.Add(ModelContainerWriter.Write(OnnxModelFile.ToBytes(model())));
            var int8 = OnnxModelFile.ToBytes(ModelCompressor.Compress(model(), Recipe.Int8Dynamic).Model);
            var (version4, version3, version2, version1) = (ModelContainerWriter.Write(int8), ModelContainerWriter.Write(int8, version: 3), ModelContainerWriter.Write(int8, version: 2), ModelContainerWriter.Write(int8, version: 1));
            seeds.Add(version4);
            seeds.Add(version3);
            seeds.Add(version2);
            seeds.Add(version1);
            // Smaller only where a rANS stream beat Huffman: the seeds then exercise both rANS decoders.
            ransUsed |= version2.Length < version1.Length;
        }
        seeds.Add(ModelContainerWriter.Write(OnnxModelFile.ToBytes(TestModels.SubgraphModel())));
        // Version 5's 32-state rANS: an int8 weight matrix whose stream is long enough for it; the same as version 4.
        // Pruned int8 weights, whose long tail of rare values makes the 2^12 table cost too much: the 2^14 one.
        // Version 6 codes the dense one with a smooth table (mode 11).
        foreach (var (wideModel, mode, smoothMode) in new[] { (ModelCompressor.Compress(WideMatMul(), Recipe.Int8Dynamic).Model, ModelContainerFormat.WideRansStream, ModelContainerFormat.SmoothWideRansStream), (PrunedInt8(), ModelContainerFormat.FineWideRansStream, ModelContainerFormat.FineWideRansStream) })
        {
            var weights = wideModel.Graph.Initializer.MaxBy(t => t.RawData.Length)!.RawData.ToByteArray();
            Assert.Equal(mode, TensorPayloadEncoder.Encode(weights, 1, version: 5)[1]);
            Assert.Equal(smoothMode, TensorPayloadEncoder.Encode(weights, 1, version: 6)[1]);
            var wide = OnnxModelFile.ToBytes(wideModel);
            seeds.Add(ModelContainerWriter.Write(wide));
            seeds.Add(ModelContainerWriter.Write(wide, version: 6));
            seeds.Add(ModelContainerWriter.Write(wide, version: 5));
            seeds.Add(ModelContainerWriter.Write(wide, version: 4));
        }
        // Version 6's smooth tables with one, two and four states: bell-shaped int8 weights.
        foreach (var (length, spread, smoothMode) in new[] { (1500, 2.0, ModelContainerFormat.SmoothRansStream), (1500, 20.0, ModelContainerFormat.SmoothInterleavedRansStream), (3000, 20.0, ModelContainerFormat.SmoothFourStateRansStream) })
        {
            var weights = SmoothTableTests.BellShapedBytes(length, seed: length, spread);
            Assert.Equal(smoothMode, TensorPayloadEncoder.Encode(weights, 1, version: 6)[1]);
            seeds.Add(ForgedContainer.OneTensor(weights, TensorPayloadEncoder.Encode(weights, 1, version: 6), version: 6));
        }
        // Version 6's eight-state vector modes (streams of 3,200 to 22,400 bytes of entropy): bell-shaped weights with a
        // smooth table, two symbols with the 2^12 table, pruned weights' long tail with the 2^14 one.
        var halves = new Random(7);
        foreach (var (weights, eightMode) in new[]
        {
            (SmoothTableTests.BellShapedBytes(12000, seed: 12000), ModelContainerFormat.SmoothEightStateRansStream),
            (Enumerable.Range(0, 40_000).Select(_ => (byte)(halves.Next(2) * 200)).ToArray(), ModelContainerFormat.EightStateRansStream),
            (PrunedInt8Bytes(40_000), ModelContainerFormat.FineEightStateRansStream),
        })
        {
            var payload = TensorPayloadEncoder.Encode(weights, 1, version: 6);
            Assert.Equal(eightMode, payload[1]);
            seeds.Add(ForgedContainer.OneTensor(weights, payload, version: 6));
        }
        Assert.True(ransUsed, "no seed container holds a rANS stream");
        // Version 7's bitmaps: float elements (four planes) and bytes, neither a whole number of bitmap bytes; a 16 KB
        // piece of bytes ends inside the second. The pruned int8 matrix above is one as the writer makes it.
        var pruned = new Random(8);
        foreach (var (count, elementSize) in new[] { (5_003, 4), (16_389, 1) })
        {
            var tensor = new byte[count * elementSize];
            for (var i = 0; i < count; i++)
            {
                if (pruned.NextDouble() < 0.9) continue;
                pruned.NextBytes(tensor.AsSpan(i * elementSize, elementSize));
                tensor[i * elementSize] |= 1;
            }
            seeds.Add(ForgedContainer.OneTensor(tensor, ForgedContainer.SparseBitmap(tensor, elementSize, planes: elementSize)));
        }
        // Version 3's transforms: the pruned float weights as non-zero elements, clustered ones as palette indices,
        // each much smaller than version 2's byte planes only through its transform.
        foreach (var transformed in new[] { Pruned(TestModels.MatMulModel()), Clustered(TestModels.MatMulModel()) })
        {
            var model = OnnxModelFile.ToBytes(transformed);
            var (version3, version2) = (ModelContainerWriter.Write(model), ModelContainerWriter.Write(model, version: 2));
            Assert.True(version3.Length < 0.9 * version2.Length, $"version 3 {version3.Length} bytes, version 2 {version2.Length}");
            seeds.Add(version3);
        }
        return seeds;
    }

    /// <summary>The model with 90 % of every weight matrix's values set to zero, as magnitude pruning leaves it.</summary>
    private static ModelBuild.Onnx.Protobuf.ModelProto Pruned(ModelBuild.Onnx.Protobuf.ModelProto model)
    {
        foreach (var tensor in model.Graph.Initializer.Where(t => t.Dims.Count == 2))
        {
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.ToByteArray()).ToArray();
            var threshold = values.Select(Math.Abs).Order().ElementAt(values.Length * 9 / 10);
            for (var i = 0; i < values.Length; i++) if (Math.Abs(values[i]) < threshold) values[i] = 0;
            tensor.RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return model;
    }

    /// <summary>400,000 int8 weights as a pruned and quantized layer has them: 85 % zeros, the rest normal with a long tail.</summary>
    private static ModelBuild.Onnx.Protobuf.ModelProto PrunedInt8()
    {
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(PrunedInt8Bytes(400_000)).ToArray();
        return new OnnxModelBuilder(opset: 13)
            .Input("features", DataType.Float, "N", 4)
            .Output("output", DataType.Float, "N", 4)
            .Initializer(TensorData.FromInt8("weight", [values.Length], values))
            .Node("Identity", ["features"], ["output"])
            .Build();
    }

    /// <summary>Int8 weights as a pruned and quantized layer has them: 85 % zeros, the rest normal with a long tail.</summary>
    private static byte[] PrunedInt8Bytes(int length)
    {
        var random = new Random(4);
        var values = new byte[length];
        for (var i = 0; i < values.Length; i++)
            values[i] = random.NextDouble() < 0.85 ? (byte)0 : (byte)(sbyte)Math.Clamp(Math.Round(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * 25), -127, 127);
        return values;
    }

    /// <summary>One MatMul with a 256 x 256 weight of normally distributed values: 64 KB of int8 weights of about 6 bits each.</summary>
    private static ModelBuild.Onnx.Protobuf.ModelProto WideMatMul()
    {
        var random = new Random(9);
        var values = new float[256 * 256];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * 0.1);
        return new OnnxModelBuilder(opset: 13)
            .Input("features", DataType.Float, "N", 256)
            .Output("output", DataType.Float, "N", 256)
            .Initializer(TensorData.FromFloats("weight", [256, 256], values))
            .Node("MatMul", ["features", "weight"], ["output"])
            .Build();
    }

    /// <summary>The model with every weight matrix's values replaced by the nearest of 16 levels, as weight sharing leaves them.</summary>
    private static ModelBuild.Onnx.Protobuf.ModelProto Clustered(ModelBuild.Onnx.Protobuf.ModelProto model)
    {
        foreach (var tensor in model.Graph.Initializer.Where(t => t.Dims.Count == 2))
        {
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.ToByteArray()).ToArray();
            var step = values.Max(Math.Abs) / 8;
            for (var i = 0; i < values.Length; i++) values[i] = MathF.Round(values[i] / step) * step;
            tensor.RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return model;
    }

    private static (byte[] Input, string Mutation) Mutate(byte[] seed, List<byte[]> seeds, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var at = random.Next(bytes.Length);
        switch (random.Next(6))
        {
            case 0:
                var bit = random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                return (bytes, $"bit {bit} of byte {at} flipped");
            case 1:
                var value = (byte)(random.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => 0x80, _ => random.Next(256) });
                bytes[at] = value;
                return (bytes, $"byte {at} set to {value}");
            case 2:
                return (bytes[..at], $"cut to {at} bytes");
            case 3:
                var donor = seeds[random.Next(seeds.Count)];
                var from = random.Next(donor.Length);
                var count = random.Next(1, Math.Min(64, donor.Length - from) + 1);
                return ([.. bytes[..at], .. donor.AsSpan(from, count), .. bytes[Math.Min(bytes.Length, at + random.Next(0, 2) * count)..]], $"{count} bytes spliced in at {at}");
            case 4:
                var times = random.Next(2, 6);
                for (var i = 0; i < times; i++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return (bytes, $"{times} random bytes set");
            default:
                return HeaderFieldEdited(bytes, random);
        }
    }

    /// <summary>One of the varints of the header or the first tensor entry rewritten with a value near, far above or below the old one.</summary>
    private static (byte[] Input, string Mutation) HeaderFieldEdited(byte[] container, Random random)
    {
        var fields = new List<(string Name, int Offset, int Length, long Value)>();
        var position = ModelContainerFormat.Magic.Length + 1;
        long Field(string name)
        {
            var start = position;
            var value = ReadVarint(container, ref position);
            fields.Add((name, start, position - start, value));
            return value;
        }
        Field("model length");
        position += ModelContainerFormat.ChecksumLength(container[ModelContainerFormat.Magic.Length]);
        Field("graph length");
        var deflated = Field("compressed graph length");
        position += (int)deflated;
        if (Field("tensor count") > 0)
        {
            Field("first tensor's offset");
            Field("first tensor's length");
        }
        var (name, offset, length, old) = fields[random.Next(fields.Count)];
        var replacement = random.Next(7) switch
        {
            0 => 0,
            1 => old + 1,
            2 => Math.Max(0, old - 1),
            3 => old * 2,
            4 => old * 1032,
            5 => Array.MaxLength,
            _ => random.NextInt64(0, 1L << 40),
        };
        var varint = new ContainerBuffer().Varint(replacement).ToArray();
        return ([.. container.AsSpan(0, offset), .. varint, .. container.AsSpan(offset + length)], $"{name} {old} -> {replacement}");
    }

    /// <summary>The model length the input's header declares, or 0 when the header cannot be read that far.</summary>
    private static long DeclaredModelLength(byte[] input)
    {
        if (!ModelContainer.IsContainer(input) || input.Length <= ModelContainerFormat.Magic.Length + 1) return 0;
        var position = ModelContainerFormat.Magic.Length + 1;
        return ReadVarint(input, ref position);
    }

    private static long ReadVarint(byte[] bytes, ref int position)
    {
        long value = 0;
        for (var shift = 0; shift < 63 && position < bytes.Length; shift += 7)
        {
            var b = bytes[position++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        return value;
    }
}
