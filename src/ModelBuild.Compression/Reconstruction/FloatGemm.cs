using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelBuild.Compression.Reconstruction;

/// <summary>
/// The float matrix products block reconstruction spends its time in, row-major, vectorized with
/// <see cref="Vector{T}"/> and split over the cores by output columns (forward, input gradient) or rows (weight gradient).
/// </summary>
internal static class FloatGemm
{
    // Below this many multiply-adds a product runs on one thread: the split costs more than it saves.
    private const long ParallelWork = 1 << 18;

    /// <summary>C[m,n] = A[m,k] · B[k,n] (C overwritten).</summary>
    public static void Multiply(float[] a, float[] b, float[] c, int m, int k, int n)
    {
        var width = Vector<float>.Count * 2;
        var chunks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, n / (width * 8)));
        if ((long)m * k * n < ParallelWork) chunks = 1;
        var per = (n + chunks - 1) / chunks;
        per = (per + width - 1) / width * width;
        if (chunks == 1) Panel(a, b, c, m, k, n, 0, n);
        else Parallel.For(0, (n + per - 1) / per, t => Panel(a, b, c, m, k, n, t * per, Math.Min(n, (t + 1) * per)));
    }

    /// <summary>C[m,n] += A[m,k] · B[n,k]^T: each entry a dot product of two rows (the weight gradient, k long).</summary>
    public static void MultiplyTransposedAdd(float[] a, float[] b, float[] c, int m, int k, int n)
    {
        if ((long)m * k * n < ParallelWork) { for (var i = 0; i < m; i++) DotRow(a, b, c, k, n, i); }
        else Parallel.For(0, m, i => DotRow(a, b, c, k, n, i));
    }

    private static void DotRow(float[] a, float[] b, float[] c, int k, int n, int i)
    {
        var row = new ReadOnlySpan<float>(a, i * k, k);
        for (var j = 0; j < n; j++) c[(i * n) + j] += Dot(row, new ReadOnlySpan<float>(b, j * k, k));
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        Vector<float> s0 = default, s1 = default;
        var v = 0;
        for (; v + 1 < vx.Length; v += 2)
        {
            s0 += vx[v] * vy[v];
            s1 += vx[v + 1] * vy[v + 1];
        }
        if (v < vx.Length) s0 += vx[v] * vy[v];
        var sum = Vector.Sum(s0 + s1);
        for (var t = vx.Length * Vector<float>.Count; t < x.Length; t++) sum += x[t] * y[t];
        return sum;
    }

    // Columns [from, to) of C: four rows at a time against two vectors of B's row, eight accumulators in registers.
    private static void Panel(float[] a, float[] b, float[] c, int m, int k, int n, int from, int to)
    {
        var lanes = Vector<float>.Count;
        ref var bRef = ref MemoryMarshal.GetArrayDataReference(b);
        ref var cRef = ref MemoryMarshal.GetArrayDataReference(c);
        var i = 0;
        for (; i + 3 < m; i += 4)
        {
            var j = from;
            for (; j + (2 * lanes) <= to; j += 2 * lanes)
            {
                Vector<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
                for (var p = 0; p < k; p++)
                {
                    var b0 = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref bRef, (p * n) + j));
                    var b1 = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref bRef, (p * n) + j + lanes));
                    var a0 = new Vector<float>(a[(i * k) + p]);
                    var a1 = new Vector<float>(a[((i + 1) * k) + p]);
                    var a2 = new Vector<float>(a[((i + 2) * k) + p]);
                    var a3 = new Vector<float>(a[((i + 3) * k) + p]);
                    c00 += a0 * b0; c01 += a0 * b1;
                    c10 += a1 * b0; c11 += a1 * b1;
                    c20 += a2 * b0; c21 += a2 * b1;
                    c30 += a3 * b0; c31 += a3 * b1;
                }
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, (i * n) + j)) = c00;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, (i * n) + j + lanes)) = c01;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, ((i + 1) * n) + j)) = c10;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, ((i + 1) * n) + j + lanes)) = c11;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, ((i + 2) * n) + j)) = c20;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, ((i + 2) * n) + j + lanes)) = c21;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, ((i + 3) * n) + j)) = c30;
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref cRef, ((i + 3) * n) + j + lanes)) = c31;
            }
            for (var r = i; r < i + 4; r++) Scalar(a, b, c, k, n, r, j, to);
        }
        for (; i < m; i++) Scalar(a, b, c, k, n, i, from, to);
    }

    private static void Scalar(float[] a, float[] b, float[] c, int k, int n, int i, int from, int to)
    {
        for (var j = from; j < to; j++)
        {
            float sum = 0;
            for (var p = 0; p < k; p++) sum += a[(i * k) + p] * b[(p * n) + j];
            c[(i * n) + j] = sum;
        }
    }
}
