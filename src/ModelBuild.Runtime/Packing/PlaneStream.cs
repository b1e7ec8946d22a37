using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// One stream of a tensor payload (one byte plane): read and checked from its header, then decoded a piece at a
/// time, so the planes of a tensor can be interleaved into its bytes without a buffer per plane. One instance is
/// reused for every stream of a container: decoding allocates nothing per stream or per plane.
/// </summary>
internal sealed class PlaneStream
{
    // Made on first use: their tables (4 KB, 16 KB) are the decoder's largest working memory.
    private HuffmanStream? _huffman;
    private RansStream? _rans;
    private byte _mode;
    private byte _constant;
    private int _dataOffset;
    private long _decoded;

    /// <summary>
    /// Reads the stream that follows in <paramref name="reader"/> and checks that it can decode to
    /// <paramref name="symbols"/> bytes; rANS streams exist from format <paramref name="version"/> 2, interleaved ones from 3.
    /// </summary>
    public void Read(ref ContainerReader reader, long symbols, byte version)
    {
        _decoded = 0;
        var modeOffset = reader.Position;
        _mode = reader.ReadByte("a stream's mode");
        switch (_mode)
        {
            case ModelContainerFormat.StoredStream:
                _dataOffset = reader.Position;
                reader.ReadBytes(symbols, "a stored stream");
                break;
            case ModelContainerFormat.ConstantStream:
                _constant = reader.ReadByte("a constant stream's byte");
                break;
            case ModelContainerFormat.HuffmanStream:
                (_huffman ??= new()).Read(ref reader, symbols);
                break;
            case ModelContainerFormat.RansStream when version >= 2:
                (_rans ??= new()).Read(ref reader, symbols, states: 1);
                break;
            case ModelContainerFormat.InterleavedRansStream when version >= 3:
                (_rans ??= new()).Read(ref reader, symbols, states: 2);
                break;
            default:
                throw new ModelContainerException(modeOffset, $"stream mode {_mode} is unknown in a version {version} container; expected {ModelContainerFormat.StoredStream} (stored), {ModelContainerFormat.ConstantStream} (constant), {ModelContainerFormat.HuffmanStream} (Huffman){(version >= 2 ? $", {ModelContainerFormat.RansStream} (rANS)" : "")}{(version >= 3 ? $", {ModelContainerFormat.InterleavedRansStream} (rANS, two states)" : "")}");
        }
    }

    /// <summary>Decodes the next <c>output.Length / stride</c> symbols into every <paramref name="stride"/>-th byte of <paramref name="output"/> from <paramref name="first"/>.</summary>
    // Fully optimized at once (its stored and constant loops are hot too): a model is decoded once per process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output, int first, int stride)
    {
        var count = output.Length / stride;
        switch (_mode)
        {
            case ModelContainerFormat.StoredStream:
                var stored = resource.Slice(_dataOffset + (int)_decoded, count);
                if (stride == 1) stored.CopyTo(output);
                else Spread(stored, output, first, stride);
                break;
            case ModelContainerFormat.ConstantStream:
                if (stride == 1) output.Fill(_constant);
                else for (var i = 0; i < count; i++) output[first + i * stride] = _constant;
                break;
            case ModelContainerFormat.RansStream or ModelContainerFormat.InterleavedRansStream:
                _rans!.DecodeNext(resource, output, first, stride, count);
                break;
            default:
                _huffman!.DecodeNext(resource, output, first, stride, count);
                break;
        }
        _decoded += count;
    }

    // Every stride-th byte from first: one bounds check, then unchecked writes (a float's stored low bytes go here).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Spread(ReadOnlySpan<byte> bytes, Span<byte> output, int first, int stride)
    {
        StridedOutput.Require(output, first, stride, bytes.Length);
        ref var into = ref MemoryMarshal.GetReference(output);
        nint at = first;
        foreach (var b in bytes)
        {
            Unsafe.Add(ref into, at) = b;
            at += stride;
        }
    }

    /// <summary>After the last symbol: a Huffman stream must have used exactly its bytes and end in zero bits, a rANS stream its bytes and back in its start state.</summary>
    public void Finish(ReadOnlySpan<byte> resource)
    {
        if (_mode is ModelContainerFormat.RansStream or ModelContainerFormat.InterleavedRansStream) _rans!.Finish();
        if (_mode == ModelContainerFormat.HuffmanStream) _huffman!.Finish(resource);
    }
}
