using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelBuild.Runtime.Packing;

/// <summary>
/// Puts 2, 4 or 8 byte planes back into the elements they were cut from: byte p of element i is byte i of plane p.
/// Sixteen elements at a time by byte, 16-bit and 32-bit unpacks (SSE2, or AdvSimd zips on Arm64), the rest one byte
/// at a time; a stored plane of a float tensor costs a copy and this, not a byte-by-byte strided write.
/// </summary>
internal static class PlaneInterleave
{
    /// <param name="planes">The planes one after another, each <c>elements.Length / count</c> bytes.</param>
    /// <param name="elements">Where the elements go.</param>
    /// <param name="count">The number of planes: 2, 4 or 8.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Interleave(ReadOnlySpan<byte> planes, Span<byte> elements, int count)
    {
        if (count is not (2 or 4 or 8) || elements.Length % count != 0 || planes.Length < elements.Length)
            throw new ArgumentException($"{planes.Length} bytes of {count} planes cannot fill {elements.Length} bytes of elements");
        var n = elements.Length / count;
        ref var from = ref MemoryMarshal.GetReference(planes);
        ref var into = ref MemoryMarshal.GetReference(elements);
        nuint i = 0;
        // Unchecked loads and stores: i + 16 <= n, so plane p's reads end by p * n + n <= planes.Length and the
        // writes by count * (i + 16) <= elements.Length.
        if (Sse2.IsSupported || AdvSimd.Arm64.IsSupported)
        {
            var plane = (nuint)n;
            for (; i + 16 <= plane; i += 16)
            {
                var a = Vector128.LoadUnsafe(ref from, i);
                var b = Vector128.LoadUnsafe(ref from, plane + i);
                if (count == 2)
                {
                    Low8(a, b).StoreUnsafe(ref into, 2 * i);
                    High8(a, b).StoreUnsafe(ref into, 2 * i + 16);
                    continue;
                }
                var c = Vector128.LoadUnsafe(ref from, 2 * plane + i);
                var d = Vector128.LoadUnsafe(ref from, 3 * plane + i);
                var (abcd0, abcd1, abcd2, abcd3) = FourPlanes(a, b, c, d);
                if (count == 4)
                {
                    abcd0.StoreUnsafe(ref into, 4 * i);
                    abcd1.StoreUnsafe(ref into, 4 * i + 16);
                    abcd2.StoreUnsafe(ref into, 4 * i + 32);
                    abcd3.StoreUnsafe(ref into, 4 * i + 48);
                    continue;
                }
                var (efgh0, efgh1, efgh2, efgh3) = FourPlanes(
                    Vector128.LoadUnsafe(ref from, 4 * plane + i),
                    Vector128.LoadUnsafe(ref from, 5 * plane + i),
                    Vector128.LoadUnsafe(ref from, 6 * plane + i),
                    Vector128.LoadUnsafe(ref from, 7 * plane + i));
                Low32(abcd0, efgh0).StoreUnsafe(ref into, 8 * i);
                High32(abcd0, efgh0).StoreUnsafe(ref into, 8 * i + 16);
                Low32(abcd1, efgh1).StoreUnsafe(ref into, 8 * i + 32);
                High32(abcd1, efgh1).StoreUnsafe(ref into, 8 * i + 48);
                Low32(abcd2, efgh2).StoreUnsafe(ref into, 8 * i + 64);
                High32(abcd2, efgh2).StoreUnsafe(ref into, 8 * i + 80);
                Low32(abcd3, efgh3).StoreUnsafe(ref into, 8 * i + 96);
                High32(abcd3, efgh3).StoreUnsafe(ref into, 8 * i + 112);
            }
        }
        for (var element = (int)i; element < n; element++)
        {
            for (var p = 0; p < count; p++) elements[element * count + p] = planes[p * n + element];
        }
    }

    // Sixteen elements of four planes: elements 0-3, 4-7, 8-11 and 12-15, each 4 bytes a, b, c, d.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>) FourPlanes(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c, Vector128<byte> d)
    {
        var ab0 = Low8(a, b);
        var ab1 = High8(a, b);
        var cd0 = Low8(c, d);
        var cd1 = High8(c, d);
        return (Low16(ab0, cd0), High16(ab0, cd0), Low16(ab1, cd1), High16(ab1, cd1));
    }

    private static Vector128<byte> Low8(Vector128<byte> a, Vector128<byte> b) =>
        Sse2.IsSupported ? Sse2.UnpackLow(a, b) : AdvSimd.Arm64.ZipLow(a, b);

    private static Vector128<byte> High8(Vector128<byte> a, Vector128<byte> b) =>
        Sse2.IsSupported ? Sse2.UnpackHigh(a, b) : AdvSimd.Arm64.ZipHigh(a, b);

    private static Vector128<byte> Low16(Vector128<byte> a, Vector128<byte> b) =>
        (Sse2.IsSupported ? Sse2.UnpackLow(a.AsUInt16(), b.AsUInt16()) : AdvSimd.Arm64.ZipLow(a.AsUInt16(), b.AsUInt16())).AsByte();

    private static Vector128<byte> High16(Vector128<byte> a, Vector128<byte> b) =>
        (Sse2.IsSupported ? Sse2.UnpackHigh(a.AsUInt16(), b.AsUInt16()) : AdvSimd.Arm64.ZipHigh(a.AsUInt16(), b.AsUInt16())).AsByte();

    private static Vector128<byte> Low32(Vector128<byte> a, Vector128<byte> b) =>
        (Sse2.IsSupported ? Sse2.UnpackLow(a.AsUInt32(), b.AsUInt32()) : AdvSimd.Arm64.ZipLow(a.AsUInt32(), b.AsUInt32())).AsByte();

    private static Vector128<byte> High32(Vector128<byte> a, Vector128<byte> b) =>
        (Sse2.IsSupported ? Sse2.UnpackHigh(a.AsUInt32(), b.AsUInt32()) : AdvSimd.Arm64.ZipHigh(a.AsUInt32(), b.AsUInt32())).AsByte();
}
