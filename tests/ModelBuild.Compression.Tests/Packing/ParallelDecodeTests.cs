using System.Runtime.InteropServices;
using ModelBuild.Compression.Packing;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using Xunit.Abstractions;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// The decoding pass on several threads (<see cref="ParallelDecode"/>) against the sequential one: the same bytes for
/// containers of every chain and version, and for damaged ones the same exception (offset and message), which is the
/// one of the first damaged part in file order however the threads took the tensors.
/// </summary>
public sealed class ParallelDecodeTests(ITestOutputHelper output)
{
    private const int Threads = ParallelDecode.MaxThreads;

    public static TheoryData<byte> Versions() => new() { 1, 2, 3, 4, 5, ModelContainerFormat.Version };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Parallel_and_sequential_decode_give_the_model_bytes_for_every_chain(byte version)
    {
        var model = OnnxModelFile.ToBytes(ManyTensors());
        var container = ModelContainerWriter.Write(model, version: version);

        var sequentialRun = new DecodeRun();
        var sequential = ModelContainer.Decode(container, 1, sequentialRun);
        var parallelRun = new DecodeRun();
        var parallel = ModelContainer.Decode(container, Threads, parallelRun);

        Assert.Equal(model, sequential);
        Assert.Equal(model, parallel);
        Assert.Equal(1, sequentialRun.ScheduledThreads);
        Assert.Equal(Threads, parallelRun.ScheduledThreads);
        Assert.InRange(parallelRun.Threads, 1, Threads);
        // Each pool thread's decoders and scratch: within what one sequential decode may use.
        Assert.InRange(parallelRun.WorkerAllocatedBytes, 0, (Threads - 1) * ForgedContainer.ThreadWorkingBytes);
        output.WriteLine($"version {version}: {container.Length:N0} bytes decode to {model.Length:N0}; {parallelRun.Threads} of {Threads} threads decoded, the pool threads allocated {parallelRun.WorkerAllocatedBytes:N0} bytes");
    }

    [Fact]
    public void Decodes_running_at_once_on_many_threads_share_nothing()
    {
        var model = OnnxModelFile.ToBytes(ManyTensors());
        var container = ModelContainerWriter.Write(model);
        var decoded = new byte[16][];
        // More decodes than pool threads: some find the pool busy and decode everything on their caller.
        Parallel.For(0, decoded.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => decoded[i] = ModelContainer.Decode(container));
        foreach (var one in decoded) Assert.Equal(model, one);
    }

    [Fact]
    public void A_model_below_the_parallel_size_or_one_thread_decodes_sequentially()
    {
        var small = ModelContainerWriter.Write(OnnxModelFile.ToBytes(TestModels.MatMulModel()));
        var run = new DecodeRun();
        ModelContainer.Decode(small, Threads, run);
        Assert.Equal(1, run.ScheduledThreads);

        var large = ModelContainerWriter.Write(OnnxModelFile.ToBytes(ManyTensors()));
        run = new DecodeRun();
        ModelContainer.Decode(large, 1, run);
        Assert.Equal(1, run.Threads);
        Assert.Equal(0, run.WorkerAllocatedBytes);
    }

    [Theory]
    [InlineData(ModelContainerFormat.Version)]
    [InlineData(3)]
    public void Damaged_payloads_throw_the_sequential_decoders_exception(byte version)
    {
        var container = ModelContainerWriter.Write(OnnxModelFile.ToBytes(ManyTensors()), version: version);
        var random = new Random(20261128 + version);
        var messages = new HashSet<string>();
        int cases = 0, refused = 0;
        for (; cases < 150; cases++)
        {
            // Up to 6 bytes anywhere past the header: often in several tensors' streams at once.
            var damaged = (byte[])container.Clone();
            var changes = random.Next(1, 7);
            for (var i = 0; i < changes; i++) damaged[random.Next(40, damaged.Length)] ^= (byte)random.Next(1, 256);

            var sequential = Outcome(damaged, 1);
            var parallel = Outcome(damaged, Threads);
            Assert.Equal(sequential, parallel);
            // Again: which thread takes which tensor changes nothing.
            Assert.Equal(sequential, Outcome(damaged, Threads));
            if (sequential.StartsWith("offset", StringComparison.Ordinal))
            {
                refused++;
                messages.Add(sequential[(sequential.IndexOf(':') + 1)..]);
            }
        }
        output.WriteLine($"{refused} of {cases} damaged containers refused, with {messages.Count} different messages");
        // Not only the checksum: the streams' own checks fail in the decoding pass, where the threads run.
        Assert.True(messages.Count >= 10, string.Join("\n", messages));
    }

    // The model's length and checksum, or the exception's offset and message.
    private static string Outcome(byte[] container, int threads)
    {
        try
        {
            var model = ModelContainer.Decode(container, threads, null);
            return $"model {model.Length} {Convert.ToHexString(ModelContainerFormat.Checksum(model, ModelContainerFormat.Version))}";
        }
        catch (ModelContainerException e)
        {
            return $"offset {e.Offset}: {e.Message}";
        }
    }

    /// <summary>
    /// About 1.2 MB of weights in tensors each of another chain: dense float (byte planes, stored and coded), int8 (a
    /// 32-state rANS stream from version 5), pruned float and pruned int8 (non-zeros), clustered float (palette), all
    /// zeros (constant), and small biases.
    /// </summary>
    internal static ModelBuild.Onnx.Protobuf.ModelProto ManyTensors()
    {
        var random = new Random(11);
        float Normal() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var dense = new float[65_536];
        for (var i = 0; i < dense.Length; i++) dense[i] = Normal() * 0.1f;
        var pruned = dense.Select((v, i) => i % 10 < 8 ? 0 : v).ToArray();
        var step = dense.Max(Math.Abs) / 8;
        var clustered = dense.Select(v => MathF.Round(v / step) * step).ToArray();
        var int8 = new sbyte[200_000];
        for (var i = 0; i < int8.Length; i++) int8[i] = (sbyte)Math.Clamp(Math.Round(Normal() * 20), -127, 127);
        var prunedInt8 = new sbyte[200_000];
        for (var i = 0; i < prunedInt8.Length; i++) prunedInt8[i] = random.NextDouble() < 0.85 ? (sbyte)0 : (sbyte)Math.Clamp(Math.Round(Normal() * 25), -127, 127);
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("features", DataType.Float, "N", 4)
            .Output("output", DataType.Float, "N", 4)
            .Initializer(TensorData.FromFloats("dense", [256, 256], dense))
            .Initializer(TensorData.FromInt8("int8", [int8.Length], int8))
            .Initializer(TensorData.FromFloats("pruned", [256, 256], pruned))
            .Initializer(TensorData.FromInt8("pruned_int8", [prunedInt8.Length], prunedInt8))
            .Initializer(TensorData.FromFloats("clustered", [256, 256], clustered))
            .Initializer(TensorData.FromFloats("zeros", [128, 128], new float[128 * 128]));
        for (var b = 0; b < 6; b++)
            builder.Initializer(TensorData.FromFloats($"bias{b}", [256], MemoryMarshal.Cast<float, float>(dense.AsSpan(b * 256, 256))));
        return builder.Node("Identity", ["features"], ["output"]).Build();
    }
}
