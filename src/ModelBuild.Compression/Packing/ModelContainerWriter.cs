using System.IO.Compression;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>
/// Packs serialized ONNX bytes into a ModelBuild container (Deep Compression's last stage, entropy coding; format in
/// docs/internals.md, "Model container"): each tensor's <c>raw_data</c> whose entropy-coded payload is smaller than
/// its bytes is cut out and coded; what is left (the graph, names, small tensors, length prefixes) is Deflate
/// compressed. <see cref="ModelContainer.Decode"/> splices the payloads back into the very same bytes.
/// </summary>
public static class ModelContainerWriter
{
    /// <summary>
    /// From version 6 a tensor of fewer bytes stays in the graph part unless its payload saves an eighth of them: a
    /// payload pays a kind, a mode byte and a stored or tabled stream per plane, and Deflate codes the tensor with the
    /// graph's own tables (the 0 and 0xFF high bytes of a small int32 bias cheaply), so a small saving is no saving.
    /// </summary>
    internal const int SmallTensor = 256;

    public static byte[] Write(byte[] model) => Write(model, ModelContainerFormat.Version, out _);

    /// <summary>Writes the container and says what its coded tensors cost against their entropy (the benchmark).</summary>
    public static byte[] Write(byte[] model, out PackedWeightStatistics statistics) => Write(model, ModelContainerFormat.Version, out statistics);

    /// <summary>Writes a container of an older <paramref name="version"/> (1: no rANS streams; 2: one-state rANS only; 3: SHA-256, at most two rANS states; 4: at most four; 5: no smooth tables, every small tensor coded that gets smaller), so tests keep checking that old containers decode.</summary>
    internal static byte[] Write(byte[] model, byte version) => Write(model, version, out _);

    private static byte[] Write(byte[] model, byte version, out PackedWeightStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, ModelContainerFormat.OldestVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, ModelContainerFormat.Version);
        var packed = new List<(RawDataSpan Span, byte[] Payload, double Entropy)>();
        foreach (var span in RawDataLocator.Find(model))
        {
            var (payload, entropy) = TensorPayloadEncoder.EncodeWithEntropy(model.AsSpan(span.Offset, span.Length), span.ElementSize, version);
            // A tensor whose coding does not pay stays in the graph part, where Deflate may still find repeats; from
            // version 6 so does one of under SmallTensor bytes whose payload saves under an eighth of them (see there).
            if (payload.Length < span.Length && (span.Length >= SmallTensor || version < 6 || payload.Length <= span.Length * 7 / 8)) packed.Add((span, payload, entropy));
        }

        var skeleton = new MemoryStream(model.Length);
        var copied = 0;
        foreach (var (span, _, _) in packed)
        {
            skeleton.Write(model, copied, span.Offset - copied);
            copied = span.Offset + span.Length;
        }
        skeleton.Write(model, copied, model.Length - copied);
        var deflated = Deflate(skeleton.ToArray());

        var container = new ContainerBuffer()
            .Bytes(ModelContainerFormat.Magic)
            .Byte(version)
            .Varint(model.Length)
            .Bytes(ModelContainerFormat.Checksum(model, version))
            .Varint(skeleton.Length)
            .Varint(deflated.Length)
            .Bytes(deflated)
            .Varint(packed.Count);
        long previousInsert = 0;
        long removed = 0;
        foreach (var (span, payload, _) in packed)
        {
            var insert = span.Offset - removed;
            container.Varint(insert - previousInsert).Varint(span.Length).Bytes(payload);
            previousInsert = insert;
            removed += span.Length;
        }
        var bytes = container.ToArray();
        statistics = new PackedWeightStatistics(
            packed.Count,
            packed.Sum(p => (long)p.Span.Length),
            packed.Sum(p => (long)p.Payload.Length),
            packed.Sum(p => p.Entropy));

        // A writer bug must fail the build that made it, not the app that loads it.
        if (!ModelContainer.Decode(bytes).AsSpan().SequenceEqual(model))
            throw new InvalidOperationException("the ModelBuild container does not decode to the model it was made from");
        return bytes;
    }

    private static byte[] Deflate(byte[] data)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            deflate.Write(data);
        return output.ToArray();
    }
}
