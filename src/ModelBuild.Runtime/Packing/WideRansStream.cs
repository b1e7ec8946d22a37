using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// The state of one <see cref="ModelContainerFormat.WideRansStream"/> or <see cref="ModelContainerFormat.FineWideRansStream"/>
/// (version 5), or of their eight-state forms (<see cref="ModelContainerFormat.EightStateRansStream"/>, version 6):
/// static rANS with 32 (or 8) states taking turns, each in [2^16, 2^32) and renormalized by one 16-bit word when
/// it falls below 2^16 (as ryg_rans' rans_word_sse41), with a table of 2^12 slots or of the other modes' 2^14. Symbol
/// i is coded with state i mod 32 (or 8) and the words are read in symbol order, so eight states are one 256-bit vector: with
/// AVX2 a turn is four vectors (or one), each step one gather (2^12: the slots' entries, symbol, frequency and start in 32
/// bits) or two (2^14: the slots' symbols, then their frequencies and starts), a multiply, and the words of the lanes
/// that need one, moved to their lanes by one permute chosen by the lanes' mask. Elsewhere, at the start and
/// end of a stream and between pieces that end inside a turn, a scalar loop does the same arithmetic one symbol at a
/// time, every read checked; both give the same bytes. The stream must end with every state back at 2^16 having used
/// exactly its bytes. Fixed-size arrays only, reused for every stream.
/// </summary>
internal sealed class WideRansStream
{
    private const int Lanes = 8;
    private const uint LowerBound = ModelContainerFormat.WideRansLowerBound;

    // For each 8-bit mask of lanes that take a word: lane j's index among the words (how many taking lanes precede
    // it), the permute that moves the words loaded in order to their lanes. 8 KB, made once per process.
    private static readonly int[] WordLanes = MakeWordLanes();

    private readonly RansTable _table;
    private readonly bool _vectors;
    private readonly uint[] _states;
    // The state of the next symbol: decoding may stop inside a turn at the end of a piece.
    private int _turn;
    private int _next;
    private int _offset;
    private int _length;
    private bool _fine;

    /// <param name="table">The plane's table, shared with its other rANS decoder.</param>
    /// <param name="vectors">False: the scalar loop only (the tests compare both; it is what runs without AVX2).</param>
    /// <param name="states"><see cref="ModelContainerFormat.WideRansStates"/> or <see cref="ModelContainerFormat.EightRansStates"/>.</param>
    public WideRansStream(RansTable table, bool vectors = true, int states = ModelContainerFormat.WideRansStates)
    {
        if (states is not (ModelContainerFormat.WideRansStates or ModelContainerFormat.EightRansStates))
            throw new ArgumentOutOfRangeException(nameof(states), states, "expected 8 or 32");
        _table = table;
        _vectors = vectors && Avx2.IsSupported;
        _states = new uint[states];
    }

    /// <summary>Reads the table (of 2^<paramref name="scaleBits"/> slots: 12, or 14), the byte count and the initial states, and checks that the bytes can hold <paramref name="symbols"/> symbols.</summary>
    public void Read(ref ContainerReader reader, long symbols, int scaleBits, bool smooth = false)
    {
        if (smooth) _table.ReadSmooth(ref reader, scaleBits);
        else _table.Read(ref reader, scaleBits);
        _fine = scaleBits == ModelContainerFormat.RansScaleBits;
        var byteCount = reader.ReadVarint("a rANS stream's length", reader.Remaining);
        _offset = reader.Position;
        _length = reader.ReadBytes(byteCount, "a rANS stream").Length;
        // Each state takes 4 bytes, each symbol reads 0 or 1 word of 2.
        var stateBytes = 4 * _states.Length;
        if (byteCount < stateBytes || byteCount - stateBytes > 2 * symbols || byteCount % 2 != 0)
            throw new ModelContainerException(_offset, $"{(_states.Length == 8 ? "an" : "a")} {_states.Length}-state rANS stream of {symbols} symbols takes an even {stateBytes} to {stateBytes + 2 * symbols} bytes, but {byteCount} were recorded");
        for (var s = 0; s < _states.Length; s++)
        {
            var at = _offset + 4 * s;
            var state = BinaryPrimitives.ReadUInt32LittleEndian(reader.Bytes.Slice(at, 4));
            // The encoder's states never fall below 2^16; the decoding loops rely on it (at most one word a symbol).
            if (state < LowerBound)
                throw new ModelContainerException(at, $"a rANS stream starts in state {state}; expected {LowerBound} to {uint.MaxValue}");
            _states[s] = state;
        }
        _turn = 0;
        _next = stateBytes;
    }

    /// <summary>Decodes the next <c>output.Length</c> symbols into <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DecodeNext(ReadOnlySpan<byte> resource, Span<byte> output)
    {
        _table.EnsureBuilt();
        var bytes = resource.Slice(_offset, _length);
        var i = 0;
        // To the start of a turn, then whole turns by vector, then the rest.
        if (_vectors)
        {
            var count = _states.Length;
            var toTurn = output[..Math.Min(output.Length, (count - _turn) % count)];
            i = _fine ? Scalar<FineSlots>(bytes, toTurn) : Scalar<CoarseSlots>(bytes, toTurn);
            i += _fine ? Vectors<FineSlots>(bytes, output[i..]) : Vectors<CoarseSlots>(bytes, output[i..]);
        }
        if (_fine) Scalar<FineSlots>(bytes, output[i..]);
        else Scalar<CoarseSlots>(bytes, output[i..]);
    }

    // One symbol at a time from the current turn position; every word read checked. Returns the symbols decoded.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Scalar<TSlots>(ReadOnlySpan<byte> bytes, Span<byte> output)
        where TSlots : struct, ISlots
    {
        var table = _table;
        var states = _states;
        var turn = _turn;
        var next = _next;
        for (var i = 0; i < output.Length; i++)
        {
            var state = TSlots.Decode(states[turn], table, out var symbol);
            if (state < LowerBound)
            {
                if (next > bytes.Length - 2)
                    throw new ModelContainerException(_offset + _length, $"a rANS stream of {_length} bytes ends before its symbols do");
                state = state << 16 | BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(next, 2));
                next += 2;
            }
            states[turn] = state;
            output[i] = symbol;
            if (++turn == states.Length) turn = 0;
        }
        _turn = turn;
        _next = next;
        return output.Length;
    }

    // Whole turns while 2 bytes a state are left (each vector loads 16 at most 16 past the last), from the start of a
    // turn; returns the symbols decoded. The caller checked Avx2.IsSupported.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int Vectors<TSlots>(ReadOnlySpan<byte> bytes, Span<byte> output)
        where TSlots : struct, ISlots
    {
        var states = _states.Length;
        var turnReadBytes = 2 * states;
        var count = output.Length - output.Length % states;
        if (count == 0 || _next > bytes.Length - turnReadBytes) return 0;
        ref var wordLanes = ref MemoryMarshal.GetArrayDataReference(WordLanes);
        var i = 0;
        fixed (byte* input = bytes)
        fixed (byte* into = output)
        fixed (byte* slots = _table.Slots)
        fixed (uint* ranges = _table.Range)
        fixed (uint* vector = _states)
        {
            nint next = _next;
            var safeEnd = bytes.Length - turnReadBytes;
            var a = Avx.LoadVector256(vector);
            if (states == Lanes)
            {
                // One vector: its steps depend on each other.
                for (; i < count && next <= safeEnd; i += Lanes)
                {
                    var symbols = Step<TSlots>(ref a, input, ref next, slots, ranges, ref wordLanes);
                    var halves = Vector256.Narrow(symbols, symbols);
                    *(ulong*)(into + i) = Vector256.Narrow(halves, halves).AsUInt64().ToScalar();
                }
            }
            else
            {
                // Four vectors, whose steps overlap.
                var b = Avx.LoadVector256(vector + Lanes);
                var c = Avx.LoadVector256(vector + 2 * Lanes);
                var d = Avx.LoadVector256(vector + 3 * Lanes);
                for (; i < count && next <= safeEnd; i += states)
                {
                    var sa = Step<TSlots>(ref a, input, ref next, slots, ranges, ref wordLanes);
                    var sb = Step<TSlots>(ref b, input, ref next, slots, ranges, ref wordLanes);
                    var sc = Step<TSlots>(ref c, input, ref next, slots, ranges, ref wordLanes);
                    var sd = Step<TSlots>(ref d, input, ref next, slots, ranges, ref wordLanes);
                    var low = Vector256.Narrow(sa, sb);
                    var high = Vector256.Narrow(sc, sd);
                    Vector256.Narrow(low, high).Store(into + i);
                }
                b.Store(vector + Lanes);
                c.Store(vector + 2 * Lanes);
                d.Store(vector + 3 * Lanes);
            }
            a.Store(vector);
            _next = (int)next;
        }
        return i;
    }

    // One symbol for each of 8 states; returns the symbols (0..255) in the lanes. The caller guarantees 16 readable
    // bytes at next.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> Step<TSlots>(ref Vector256<uint> state, byte* input, ref nint next, byte* slots, uint* ranges, ref int wordLanes)
        where TSlots : struct, ISlots
    {
        var decoded = TSlots.Decode(state, slots, ranges, out var symbol);
        // Lanes below 2^16 take the next words, in lane order.
        var low = Vector256.Equals(decoded >> 16, Vector256<uint>.Zero);
        var mask = (int)Avx.MoveMask(low.AsSingle());
        var words = Avx2.ConvertToVector256Int32((ushort*)(input + next)).AsUInt32();
        var placed = Avx2.PermuteVar8x32(words, Vector256.LoadUnsafe(ref wordLanes, (nuint)(mask * Lanes)).AsUInt32());
        state = Vector256.ConditionalSelect(low, decoded << 16 | placed, decoded);
        next += 2 * BitOperations.PopCount((uint)mask);
        return symbol;
    }

    /// <summary>How a step finds its slot's symbol, frequency and start: the 2^12 table or the 2^14 one.</summary>
    private unsafe interface ISlots
    {
        /// <summary>The states after a step, before renormalization, and the eight symbols (0..255). AVX2 only.</summary>
        static abstract Vector256<uint> Decode(Vector256<uint> state, byte* slots, uint* ranges, out Vector256<uint> symbol);

        /// <summary>One state after a step, before renormalization, and its symbol.</summary>
        static abstract uint Decode(uint state, RansTable table, out byte symbol);
    }

    // 2^12 slots, each entry symbol | (frequency - 1) << 8 | (slot - start) << 20: one gather. No overflow: frequency
    // <= 2^12 and state >> 12 < 2^20.
    private readonly unsafe struct CoarseSlots : ISlots
    {
        private const int Bits = ModelContainerFormat.WideRansScaleBits;

        public static Vector256<uint> Decode(Vector256<uint> state, byte* slots, uint* ranges, out Vector256<uint> symbol)
        {
            var entry = Avx2.GatherVector256((uint*)slots, (state & Vector256.Create((1u << Bits) - 1)).AsInt32(), 4);
            symbol = entry & Vector256.Create(0xFFu);
            return Avx2.MultiplyLow((entry >> 8 & Vector256.Create(0xFFFu)) + Vector256<uint>.One, state >> Bits) + (entry >> 20);
        }

        public static uint Decode(uint state, RansTable table, out byte symbol)
        {
            var entry = table.WideEntries[(int)(state & ((1u << Bits) - 1))];
            symbol = (byte)entry;
            return ((entry >> 8 & 0xFFF) + 1) * (state >> Bits) + (entry >> 20);
        }
    }

    // 2^14 slots: the slot's symbol (a 4-byte gather at its byte, the table has 3 to spare), then the symbol's
    // frequency | start << 16. No overflow: frequency <= 2^14 and state >> 14 < 2^18.
    private readonly unsafe struct FineSlots : ISlots
    {
        private const int Bits = ModelContainerFormat.RansScaleBits;

        public static Vector256<uint> Decode(Vector256<uint> state, byte* slots, uint* ranges, out Vector256<uint> symbol)
        {
            var slot = state & Vector256.Create((1u << Bits) - 1);
            symbol = Avx2.GatherVector256((uint*)slots, slot.AsInt32(), 1) & Vector256.Create(0xFFu);
            var range = Avx2.GatherVector256(ranges, symbol.AsInt32(), 4);
            return Avx2.MultiplyLow(range & Vector256.Create(0xFFFFu), state >> Bits) + slot - (range >> 16);
        }

        public static uint Decode(uint state, RansTable table, out byte symbol)
        {
            var slot = state & ((1u << Bits) - 1);
            symbol = table.Slots[slot];
            var range = table.Range[symbol];
            return (range & 0xFFFF) * (state >> Bits) + slot - (range >> 16);
        }
    }

    private static int[] MakeWordLanes()
    {
        var lanes = new int[256 * Lanes];
        for (var mask = 0; mask < 256; mask++)
        {
            var taken = 0;
            for (var lane = 0; lane < Lanes; lane++)
            {
                if ((mask >> lane & 1) != 0) lanes[mask * Lanes + lane] = taken++;
            }
        }
        return lanes;
    }

    /// <summary>After the last symbol: every state is back where the encoder started and every byte was used.</summary>
    public void Finish()
    {
        if (_next != _length)
            throw new ModelContainerException(_offset + _next, $"a rANS stream of {_length} bytes ends after {_next} of them");
        foreach (var state in _states)
        {
            if (state != LowerBound)
                throw new ModelContainerException(_offset, $"a rANS stream ends in state {state}; expected {LowerBound}");
        }
    }
}
