using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The state of one static rANS stream: byte-wise renormalized 32-bit rANS (as ryg_rans) with a per-stream frequency
/// table summing to 2^<see cref="ModelContainerFormat.RansScaleBits"/>. Unlike a Huffman code it spends less than a bit
/// on a symbol of probability above one half, which is what the zero byte of a pruned tensor has. Version 2's mode has
/// one state; version 3's interleaved mode two, taking turns symbol by symbol over one byte string, so the CPU works on
/// both chains of dependent steps at once. The table is checked when read (every frequency at least 1, the total
/// exactly 2^14), so any byte string decodes to some symbols; the stream must end with every state back at
/// <see cref="ModelContainerFormat.RansLowerBound"/> having used exactly its bytes. Fixed-size arrays only, reused for
/// every stream.
/// </summary>
internal sealed class RansStream
{
    private const int Scale = 1 << ModelContainerFormat.RansScaleBits;
    private const uint StateLimit = 1u << 31;
    // Slot -> symbol, filled once per stream: one lookup per symbol.
    private readonly byte[] _symbolOfSlot = new byte[Scale];
    // Per symbol: frequency | start << 16, one load in the decoding loop.
    private readonly uint[] _range = new uint[256];
    private readonly int[] _frequency = new int[256];
    // The state of the next symbol, and with two states the one after it.
    private uint _state;
    private uint _otherState;
    private bool _interleaved;
    private int _next;
    private int _offset;
    private int _length;

    /// <summary>Reads the table, the byte count and the <paramref name="states"/> (1 or 2) initial states, and checks that the bytes can hold <paramref name="symbols"/> symbols.</summary>
    public void Read(ref ContainerReader reader, long symbols, int states)
    {
        ReadTable(ref reader);
        var byteCount = reader.ReadVarint("a rANS stream's length", reader.Remaining);
        _offset = reader.Position;
        _length = reader.ReadBytes(byteCount, "a rANS stream").Length;
        // Each state takes 4 bytes; each symbol shrinks one by at most 2^14, so at most 2 bytes are read per symbol.
        var stateBytes = 4 * states;
        if (byteCount < stateBytes || byteCount - stateBytes > 2 * symbols)
            throw new ModelContainerException(_offset, $"a rANS stream of {symbols} symbols takes {stateBytes} to {stateBytes + 2 * symbols} bytes, but {byteCount} were recorded");
        _interleaved = states == 2;
        _state = InitialState(reader.Bytes, _offset);
        _otherState = _interleaved ? InitialState(reader.Bytes, _offset + 4) : ModelContainerFormat.RansLowerBound;
        _next = stateBytes;
    }

    // The encoder's states never leave [2^23, 2^31); the decoding loops rely on it.
    private static uint InitialState(ReadOnlySpan<byte> resource, int at)
    {
        var state = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(resource.Slice(at, 4));
        if (state is < ModelContainerFormat.RansLowerBound or >= StateLimit)
            throw new ModelContainerException(at, $"a rANS stream starts in state {state}; expected {ModelContainerFormat.RansLowerBound} to {StateLimit - 1}");
        return state;
    }

    private void ReadTable(ref ContainerReader reader)
    {
        var tableOffset = reader.Position;
        var bitmap = reader.ReadBytes(ModelContainerFormat.SymbolBitmapLength, "a rANS frequency table");
        Array.Clear(_frequency);
        long total = 0;
        for (var symbol = 0; symbol < 256; symbol++)
        {
            if ((bitmap[symbol >> 3] & (1 << (symbol & 7))) == 0) continue;
            var frequency = reader.ReadVarint("a rANS frequency", Scale);
            if (frequency == 0)
                throw new ModelContainerException(tableOffset, $"symbol {symbol} is in a rANS frequency table with frequency 0; expected 1 to {Scale}");
            _frequency[symbol] = (int)frequency;
            total += frequency;
        }
        if (total != Scale)
            throw new ModelContainerException(tableOffset, $"a rANS frequency table sums to {total}; expected exactly {Scale}");
        var start = 0;
        for (var symbol = 0; symbol < 256; symbol++)
        {
            _symbolOfSlot.AsSpan(start, _frequency[symbol]).Fill((byte)symbol);
            _range[symbol] = (uint)_frequency[symbol] | (uint)start << 16;
            start += _frequency[symbol];
        }
    }

    /// <summary>Decodes the next <paramref name="count"/> symbols into every <paramref name="stride"/>-th byte of <paramref name="output"/> from <paramref name="first"/>.</summary>
    // Fully optimized at once: a model is decoded once per process, before tiered compilation would get to this loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output, int first, int stride, int count)
    {
        StridedOutput.Require(output, first, stride, count);
        // Locals rather than fields in the loop: the JIT keeps them in registers.
        var state = _state;
        var other = _otherState;
        var interleaved = _interleaved;
        var next = _next;
        var bytes = resource.Slice(_offset, _length);
        ref var input = ref MemoryMarshal.GetReference(bytes);
        ref var into = ref MemoryMarshal.GetReference(output);
        ref var symbols = ref MemoryMarshal.GetArrayDataReference(_symbolOfSlot);
        ref var ranges = ref MemoryMarshal.GetArrayDataReference(_range);
        nint at = first;
        var i = 0;
        // While 2 bytes are left (a symbol reads at most 2), renormalization is branchless: a byte read per symbol
        // of 7 or 8 bits is as likely as not, so a branch on it would be mispredicted about every other symbol.
        for (var safeEnd = bytes.Length - 2; i < count && next <= safeEnd; i++, at += stride)
        {
            var slot = state & (Scale - 1);
            var symbol = Unsafe.Add(ref symbols, (nint)slot);
            var range = Unsafe.Add(ref ranges, symbol);
            // No overflow: frequency <= 2^14 and state >> 14 < 2^17, so the product and the slot stay below 2^31.
            state = (range & 0xFFFF) * (state >> ModelContainerFormat.RansScaleBits) + slot - (range >> 16);
            // The state is now in [2^9, 2^31): bytes needed = [state < 2^23] + [state < 2^15], from the sign bits.
            var needed = (int)((state - ModelContainerFormat.RansLowerBound) >> 31) + (int)((state - (ModelContainerFormat.RansLowerBound >> 8)) >> 31);
            var peek = (uint)(Unsafe.Add(ref input, next) << 8 | Unsafe.Add(ref input, next + 1));
            state = state << (needed << 3) | peek >> ((2 - needed) << 3);
            next += needed;
            Unsafe.Add(ref into, at) = symbol;
            if (interleaved) (state, other) = (other, state);
        }
        for (; i < count; i++, at += stride)
        {
            var slot = state & (Scale - 1);
            var symbol = Unsafe.Add(ref symbols, (nint)slot);
            var range = Unsafe.Add(ref ranges, symbol);
            state = (range & 0xFFFF) * (state >> ModelContainerFormat.RansScaleBits) + slot - (range >> 16);
            while (state < ModelContainerFormat.RansLowerBound)
            {
                if ((uint)next >= (uint)bytes.Length)
                    throw new ModelContainerException(_offset + _length, $"a rANS stream of {_length} bytes ends before its symbols do");
                state = state << 8 | Unsafe.Add(ref input, next++);
            }
            Unsafe.Add(ref into, at) = symbol;
            if (interleaved) (state, other) = (other, state);
        }
        _state = state;
        _otherState = other;
        _next = next;
    }

    /// <summary>After the last symbol: every state is back where the encoder started and every byte was used.</summary>
    public void Finish()
    {
        if (_next != _length)
            throw new ModelContainerException(_offset + _next, $"a rANS stream of {_length} bytes ends after {_next} of them");
        if (_state != ModelContainerFormat.RansLowerBound || _otherState != ModelContainerFormat.RansLowerBound)
            throw new ModelContainerException(_offset, $"a rANS stream ends in state {(_state != ModelContainerFormat.RansLowerBound ? _state : _otherState)}; expected {ModelContainerFormat.RansLowerBound}");
    }
}
