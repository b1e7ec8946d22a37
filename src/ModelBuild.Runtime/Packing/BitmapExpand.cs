using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// A sparse piece's elements from its bitmap and its non-zero values: element i is the next value where bit i is set,
/// else zero. Eight elements a bitmap byte: for 4-byte elements one AVX2 permute of the next eight values by a table of
/// prefix counts, masked by the byte's bits; for 1-byte elements one SSSE3 byte shuffle (a lane of 0x80 is zero).
/// Branch-free, since a pruned tensor's bits are too irregular to predict. Other element sizes, and CPUs without these
/// instructions, take a scalar loop giving the same elements (the tests compare both).
/// </summary>
internal static class BitmapExpand
{
    /// <summary>
    /// Expands <paramref name="bits"/> into the <paramref name="elements"/> (of <paramref name="elementSize"/> bytes;
    /// bits.Length = ceil(count / 8)). <paramref name="values"/> holds the non-zero values and is read up to whole bytes of
    /// the bitmap ahead: at least ceil(count / 8) * 8 elements long.
    /// </summary>
    public static void Expand(ReadOnlySpan<byte> bits, ReadOnlySpan<byte> values, Span<byte> elements, int elementSize, bool vectors = true)
    {
        var count = elements.Length / elementSize;
        if (bits.Length != (count + 7) / 8 || values.Length < bits.Length * 8 * elementSize)
            throw new ArgumentException("a bitmap needs a bit per element and values for whole bytes of it");
        switch (elementSize)
        {
            case 1 when vectors && Ssse3.IsSupported: Bytes(bits, values, elements); break;
            case 1: Scalar(bits, values, elements, 0, 0); break;
            case 2: Scalar(bits, MemoryMarshal.Cast<byte, ushort>(values), MemoryMarshal.Cast<byte, ushort>(elements), 0, 0); break;
            case 4 when vectors && Avx2.IsSupported: Words(bits, MemoryMarshal.Cast<byte, uint>(values), MemoryMarshal.Cast<byte, uint>(elements)); break;
            case 4: Scalar(bits, MemoryMarshal.Cast<byte, uint>(values), MemoryMarshal.Cast<byte, uint>(elements), 0, 0); break;
            default: Scalar(bits, MemoryMarshal.Cast<byte, ulong>(values), MemoryMarshal.Cast<byte, ulong>(elements), 0, 0); break;
        }
    }

    /// <summary>The set bits of <paramref name="bits"/>.</summary>
    public static int Ones(ReadOnlySpan<byte> bits)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bits);
        var ones = 0;
        foreach (var word in words) ones += BitOperations.PopCount(word);
        foreach (var b in bits[(words.Length * 8)..]) ones += BitOperations.PopCount(b);
        return ones;
    }

    // Entry b (8 lanes at 8b): lane i holds the set bits of b below bit i, the value lane i takes when its bit is set.
    // Plain loops: built on first use, in a fresh process, where LINQ's first use cost milliseconds.
    private static readonly int[] PrefixLanes = MakePrefixLanes();

    // Entry b (16 lanes at 16b): lane i holds the value byte lane i takes when bit i is set, else 0x80 (the shuffle's
    // zero); lanes 8-15 are zero.
    private static readonly byte[] ByteLanes = MakeByteLanes();

    private static int[] MakePrefixLanes()
    {
        var lanes = new int[256 * 8];
        for (var b = 0; b < 256; b++)
        {
            for (int i = 0, below = 0; i < 8; below += (b >> i) & 1, i++) lanes[b * 8 + i] = below;
        }
        return lanes;
    }

    private static byte[] MakeByteLanes()
    {
        var lanes = new byte[256 * 16];
        lanes.AsSpan().Fill(0x80);
        for (var b = 0; b < 256; b++)
        {
            for (int i = 0, below = 0; i < 8; i++)
            {
                if ((b >> i & 1) != 0) lanes[b * 16 + i] = (byte)below++;
            }
        }
        return lanes;
    }

    // Fully optimized at once, as the stream decoders: a model is decoded once per process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Words(ReadOnlySpan<byte> bits, ReadOnlySpan<uint> values, Span<uint> elements)
    {
        ref var value = ref MemoryMarshal.GetReference(values);
        ref var element = ref MemoryMarshal.GetReference(elements);
        ref var prefixes = ref MemoryMarshal.GetArrayDataReference(PrefixLanes);
        var lanes = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
        var whole = elements.Length / 8;
        nint next = 0;
        for (var j = 0; j < whole; j++)
        {
            // next <= 8j: the eight values read are within the checked length.
            int b = bits[j];
            var permuted = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref value, (nuint)next).AsInt32(), Vector256.LoadUnsafe(ref prefixes, (nuint)(b * 8)));
            var set = Vector256.Equals(Vector256.Create(b) & lanes, lanes);
            (permuted & set).AsUInt32().StoreUnsafe(ref element, (nuint)(j * 8));
            next += BitOperations.PopCount((uint)b);
        }
        Scalar(bits, values, elements, whole * 8, next);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Bytes(ReadOnlySpan<byte> bits, ReadOnlySpan<byte> values, Span<byte> elements)
    {
        ref var value = ref MemoryMarshal.GetReference(values);
        ref var element = ref MemoryMarshal.GetReference(elements);
        ref var shuffles = ref MemoryMarshal.GetArrayDataReference(ByteLanes);
        var whole = elements.Length / 8;
        nint next = 0;
        for (var j = 0; j < whole; j++)
        {
            int b = bits[j];
            var eight = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref value, next))).AsByte();
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref element, j * 8), Ssse3.Shuffle(eight, Vector128.LoadUnsafe(ref shuffles, (nuint)(b * 16))).AsUInt64().ToScalar());
            next += BitOperations.PopCount((uint)b);
        }
        Scalar(bits, values, elements, whole * 8, next);
    }

    // Elements from `from` on (next values taken before it), one at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scalar<T>(ReadOnlySpan<byte> bits, ReadOnlySpan<T> values, Span<T> elements, int from, nint next)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var i = from; i < elements.Length; i++)
        {
            var flag = (bits[i >> 3] >> (i & 7)) & 1;
            // next <= i < the checked length of values.
            elements[i] = values[(int)next] & (T.Zero - T.CreateTruncating(flag));
            next += flag;
        }
    }
}
