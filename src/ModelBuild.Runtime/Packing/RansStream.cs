using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The state of one static rANS stream: byte-wise renormalized 32-bit rANS (as ryg_rans) with a per-stream frequency
/// table summing to 2^<see cref="ModelContainerFormat.RansScaleBits"/>. Unlike a Huffman code it spends less than a bit
/// on a symbol of probability above one half, which is what the zero byte of a pruned tensor has. Version 2's mode has
/// one state; version 3's interleaved mode two and version 4's four, taking turns symbol by symbol over one byte
/// string, so the CPU works on that many chains of dependent steps at once. The table is checked when read (every
/// frequency at least 1, the total exactly 2^14), so any byte string decodes to some symbols; the stream must end with
/// every state back at <see cref="ModelContainerFormat.RansLowerBound"/> having used exactly its bytes. The decoding
/// tables are built on the first symbol decoded, not in the structure pass. Fixed-size arrays only, reused for every
/// stream.
/// </summary>
internal sealed class RansStream
{
    public const int MaxStates = 4;
    private const int Scale = RansTable.Scale;
    private const uint StateLimit = 1u << 31;
    private readonly RansTable _table;
    // The state of the next symbol first, then those of the symbols after it.
    private readonly uint[] _states = new uint[MaxStates];
    private int _stateCount;
    private int _next;
    private int _offset;
    private int _length;

    public RansStream(RansTable table) => _table = table;

    /// <summary>Reads the table (a <paramref name="smooth"/> one for modes 8 to 10), the byte count and the <paramref name="states"/> (1, 2 or 4) initial states, and checks that the bytes can hold <paramref name="symbols"/> symbols.</summary>
    public void Read(ref ContainerReader reader, long symbols, int states, bool smooth = false)
    {
        if (smooth) _table.ReadSmooth(ref reader, ModelContainerFormat.RansScaleBits);
        else _table.Read(ref reader);
        var byteCount = reader.ReadVarint("a rANS stream's length", reader.Remaining);
        _offset = reader.Position;
        _length = reader.ReadBytes(byteCount, "a rANS stream").Length;
        // Each state takes 4 bytes; each symbol shrinks one by at most 2^14, so at most 2 bytes are read per symbol.
        var stateBytes = 4 * states;
        if (byteCount < stateBytes || byteCount - stateBytes > 2 * symbols)
            throw new ModelContainerException(_offset, $"a rANS stream of {symbols} symbols takes {stateBytes} to {stateBytes + 2 * symbols} bytes, but {byteCount} were recorded");
        _stateCount = states;
        for (var s = 0; s < MaxStates; s++)
            _states[s] = s < states ? InitialState(reader.Bytes, _offset + 4 * s) : ModelContainerFormat.RansLowerBound;
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

    /// <summary>Decodes the next <c>output.Length</c> symbols into <paramref name="output"/>.</summary>
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output)
    {
        _table.EnsureBuilt();
        var symbolOfSlot = _table.Slots;
        var ranges = _table.Range;
        var bytes = resource.Slice(_offset, _length);
        nint next = _next;
        var i = (int)WholeTurns(bytes, output, _states, _stateCount, symbolOfSlot, ranges, ref next);
        // The rest (the last symbols of a piece that do not make a whole turn, and those near the stream's end):
        // every byte read checked, the states turned after each symbol so the next one's comes first.
        for (; i < output.Length; i++)
        {
            var state = _states[0];
            var slot = state & (Scale - 1);
            var symbol = symbolOfSlot[slot];
            var range = ranges[symbol];
            state = (range & 0xFFFF) * (state >> ModelContainerFormat.RansScaleBits) + slot - (range >> 16);
            while (state < ModelContainerFormat.RansLowerBound)
            {
                if ((uint)next >= (uint)bytes.Length)
                    throw new ModelContainerException(_offset + _length, $"a rANS stream of {_length} bytes ends before its symbols do");
                state = state << 8 | bytes[(int)next++];
            }
            output[i] = symbol;
            _states.AsSpan(1, _stateCount - 1).CopyTo(_states);
            _states[_stateCount - 1] = state;
        }
        _next = (int)next;
    }

    // Whole turns of the states while 2 bytes per symbol are left (a symbol reads at most 2), so the unchecked reads
    // of Step stay within the stream and the writes within output (i + states <= its length); returns the symbols
    // decoded. A small method of its own with the states in locals, which the JIT keeps in registers. Fully optimized
    // at once: a model is decoded once per process, before tiered compilation would get to this loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nint WholeTurns(ReadOnlySpan<byte> bytes, Span<byte> output, uint[] states, int stateCount, byte[] symbolOfSlot, uint[] range, ref nint next)
    {
        ref var input = ref MemoryMarshal.GetReference(bytes);
        ref var into = ref MemoryMarshal.GetReference(output);
        ref var symbols = ref MemoryMarshal.GetArrayDataReference(symbolOfSlot);
        ref var ranges = ref MemoryMarshal.GetArrayDataReference(range);
        // Native-sized indices: no sign extension at each unchecked access.
        nint count = output.Length;
        nint safeEnd = bytes.Length - 2 * stateCount;
        var at = next;
        nint i = 0;
        var a = states[0];
        var b = states[1];
        switch (stateCount)
        {
            case 4:
                var c = states[2];
                var d = states[3];
                for (; i + 4 <= count && at <= safeEnd; i += 4)
                {
                    Unsafe.Add(ref into, i) = Step(ref a, ref input, ref at, ref symbols, ref ranges);
                    Unsafe.Add(ref into, i + 1) = Step(ref b, ref input, ref at, ref symbols, ref ranges);
                    Unsafe.Add(ref into, i + 2) = Step(ref c, ref input, ref at, ref symbols, ref ranges);
                    Unsafe.Add(ref into, i + 3) = Step(ref d, ref input, ref at, ref symbols, ref ranges);
                }
                (states[2], states[3]) = (c, d);
                break;
            case 2:
                for (; i + 2 <= count && at <= safeEnd; i += 2)
                {
                    Unsafe.Add(ref into, i) = Step(ref a, ref input, ref at, ref symbols, ref ranges);
                    Unsafe.Add(ref into, i + 1) = Step(ref b, ref input, ref at, ref symbols, ref ranges);
                }
                break;
            default:
                for (; i < count && at <= safeEnd; i++)
                    Unsafe.Add(ref into, i) = Step(ref a, ref input, ref at, ref symbols, ref ranges);
                break;
        }
        (states[0], states[1]) = (a, b);
        next = at;
        return i;
    }

    // One symbol of one state, renormalized without a branch: a byte read per symbol of 7 or 8 bits is as likely as
    // not, so a branch on it would be mispredicted about every other symbol. The caller guarantees 2 readable bytes at next.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Step(ref uint state, ref byte input, ref nint next, ref byte symbols, ref uint ranges)
    {
        var slot = state & (Scale - 1);
        var symbol = Unsafe.Add(ref symbols, (nint)slot);
        var range = Unsafe.Add(ref ranges, (nint)symbol);
        // No overflow: frequency <= 2^14 and state >> 14 < 2^17, so the product and the slot stay below 2^31.
        var decoded = (range & 0xFFFF) * (state >> ModelContainerFormat.RansScaleBits) + slot - (range >> 16);
        // The state is now in [2^9, 2^31): bytes needed = [state < 2^23] + [state < 2^15], from the sign bits.
        var needed = (int)((decoded - ModelContainerFormat.RansLowerBound) >> 31) + (int)((decoded - (ModelContainerFormat.RansLowerBound >> 8)) >> 31);
        // The next 2 bytes big-endian; the state and them as one 48-bit number, shifted so that `needed` of them join it.
        ulong peek = (uint)Unsafe.Add(ref input, next) << 8 | Unsafe.Add(ref input, next + 1);
        state = (uint)(((ulong)decoded << 16 | peek) >> (16 - (needed << 3)));
        next += needed;
        return symbol;
    }

    /// <summary>After the last symbol: every state is back where the encoder started and every byte was used.</summary>
    public void Finish()
    {
        if (_next != _length)
            throw new ModelContainerException(_offset + _next, $"a rANS stream of {_length} bytes ends after {_next} of them");
        foreach (var state in _states)
        {
            if (state != ModelContainerFormat.RansLowerBound)
                throw new ModelContainerException(_offset, $"a rANS stream ends in state {state}; expected {ModelContainerFormat.RansLowerBound}");
        }
    }
}
