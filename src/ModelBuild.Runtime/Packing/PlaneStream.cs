namespace ModelBuild.Runtime.Packing;

/// <summary>
/// One stream of a tensor payload (one byte plane): read and checked from its header, then decoded a piece at a
/// time into a piece-sized buffer, from which <see cref="PlaneInterleave"/> puts the planes of a tensor into its bytes.
/// One instance is reused for every stream of a container: decoding allocates nothing per stream or per plane.
/// </summary>
internal sealed class PlaneStream
{
    // Made on first use: their tables (4 KB, 17 KB, the rANS one shared) are the decoder's largest working memory.
    private HuffmanStream? _huffman;
    private RansStream? _rans;
    private WideRansStream? _wide;
    private WideRansStream? _eight;
    // The decoder of the current stream: _rans, _wide or _eight by its mode's states, or another kind.
    private ActiveDecoder _active;
    private WideRansStream? _vector;
    // The rANS decoders' table, shared: a plane holds one stream at a time.
    private RansTable? _ransTable;
    private byte _mode;
    private byte _constant;
    private int _dataOffset;
    private long _decoded;

    /// <summary>
    /// Reads the stream that follows in <paramref name="reader"/> and checks that it can decode to
    /// <paramref name="symbols"/> bytes; rANS streams exist from format <paramref name="version"/> 2, two-state ones from 3, four-state ones from 4, 32-state ones from 5, smooth-table and eight-state ones from 6.
    /// </summary>
    public void Read(ref ContainerReader reader, long symbols, byte version)
    {
        _decoded = 0;
        var modeOffset = reader.Position;
        _mode = reader.ReadByte("a stream's mode");
        _active = ActiveDecoder.Other;
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
            case var mode when ModelContainerFormat.RansModeOf(mode, version) is { } rans:
                _active = rans.States <= RansStream.MaxStates ? ActiveDecoder.Rans : ActiveDecoder.Vector;
                if (_active == ActiveDecoder.Rans)
                {
                    Rans.Read(ref reader, symbols, rans.States, rans.Smooth);
                }
                else
                {
                    _vector = rans.States == ModelContainerFormat.WideRansStates ? Wide : Eight;
                    _vector.Read(ref reader, symbols, rans.ScaleBits, rans.Smooth);
                }
                break;
            default:
                throw new ModelContainerException(modeOffset, $"stream mode {_mode} is unknown in a version {version} container; expected {ModelContainerFormat.StoredStream} (stored), {ModelContainerFormat.ConstantStream} (constant), {ModelContainerFormat.HuffmanStream} (Huffman){(version >= 2 ? $", {ModelContainerFormat.RansStream} (rANS)" : "")}{(version >= 3 ? $", {ModelContainerFormat.InterleavedRansStream} (rANS, two states)" : "")}{(version >= 4 ? $", {ModelContainerFormat.FourStateRansStream} (rANS, four states)" : "")}{(version >= 5 ? $", {ModelContainerFormat.WideRansStream} (rANS, 32 states), {ModelContainerFormat.FineWideRansStream} (rANS, 32 states, 2^14 slots)" : "")}{(version >= 6 ? $", {ModelContainerFormat.SmoothRansStream} to {ModelContainerFormat.SmoothWideRansStream} (rANS with a smooth table), {ModelContainerFormat.EightStateRansStream} to {ModelContainerFormat.SmoothEightStateRansStream} (rANS, eight states)" : "")}");
        }
    }

    private RansStream Rans => _rans ??= new(_ransTable ??= new());

    private WideRansStream Wide => _wide ??= new(_ransTable ??= new());

    private WideRansStream Eight => _eight ??= new(_ransTable ??= new(), states: ModelContainerFormat.EightRansStates);

    // Which decoder the current rANS stream uses (from its mode's states), so decoding and the end check need not list modes.
    private enum ActiveDecoder { Other, Rans, Vector }

    /// <summary>Decodes the next <c>output.Length</c> symbols into <paramref name="output"/>.</summary>
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output)
    {
        switch (_mode)
        {
            case ModelContainerFormat.StoredStream:
                resource.Slice(_dataOffset + (int)_decoded, output.Length).CopyTo(output);
                break;
            case ModelContainerFormat.ConstantStream:
                output.Fill(_constant);
                break;
            case ModelContainerFormat.HuffmanStream:
                _huffman!.DecodeNext(resource, output);
                break;
            default:
                if (_active == ActiveDecoder.Vector) _vector!.DecodeNext(resource, output);
                else _rans!.DecodeNext(resource, output);
                break;
        }
        _decoded += output.Length;
    }

    /// <summary>After the last symbol: a Huffman stream must have used exactly its bytes and end in zero bits, a rANS stream its bytes and back in its start state.</summary>
    public void Finish(ReadOnlySpan<byte> resource)
    {
        if (_active == ActiveDecoder.Rans) _rans!.Finish();
        if (_active == ActiveDecoder.Vector) _vector!.Finish();
        if (_mode == ModelContainerFormat.HuffmanStream) _huffman!.Finish(resource);
    }
}
