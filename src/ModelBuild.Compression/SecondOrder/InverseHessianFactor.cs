using System.Numerics.Tensors;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// The upper triangular U with <c>(H + lambda I)^-1 = U^T U</c> (GPTQ's and SparseGPT's "Cholesky of H^-1"): row i of U
/// is how removing column i's error spreads over the columns after it, and U[i,i]^2 is [H^-1]_ii once the columns
/// before i are fixed. Computed without forming the inverse: with P the reversal, P H P = L L^T gives H = R R^T for the
/// upper R = P L P, so U = R^-1 = P L^-1 P.
/// </summary>
internal static class InverseHessianFactor
{
    /// <summary>The damping, as a fraction of H's mean diagonal (GPTQ's default): keeps the factor stable on few inputs.</summary>
    public const double DampFraction = 0.01;

    /// <summary>U for <paramref name="hessian"/> (<paramref name="n"/> x n, row-major, symmetric; not modified).</summary>
    public static double[] Compute(double[] hessian, int n)
    {
        // Reversed and damped; a column no input ever reached (diagonal 0) gets 1, so it is free to change.
        var a = new double[(long)n * n];
        double meanDiagonal = 0;
        for (var i = 0; i < n; i++) meanDiagonal += hessian[((long)i * n) + i];
        meanDiagonal /= n;
        var damp = DampFraction * (meanDiagonal > 0 ? meanDiagonal : 1);
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            a[((long)i * n) + j] = hessian[((long)(n - 1 - i) * n) + (n - 1 - j)];
        for (var i = 0; i < n; i++)
        {
            ref var diagonal = ref a[((long)i * n) + i];
            diagonal = diagonal <= 0 ? 1 : diagonal + damp;
        }

        // L^-1 in place of L; reversing the whole array is P X P (entry (i, j) moves to (n-1-i, n-1-j)), which is U.
        var factor = InvertLowerInPlace(Cholesky(a, n), n);
        Array.Reverse(factor);
        return factor;
    }

    /// <summary>Lower L with A = L L^T, row by row (each entry one dot product of contiguous rows). Overwrites and returns <paramref name="a"/>.</summary>
    private static double[] Cholesky(double[] a, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var rowI = new Span<double>(a, i * n, n);
            for (var j = 0; j <= i; j++)
            {
                var rowJ = new ReadOnlySpan<double>(a, j * n, j);
                var sum = rowI[j] - TensorPrimitives.Dot(rowI[..j], rowJ);
                if (i == j)
                {
                    // Damping keeps H positive definite in exact arithmetic; rounding on a near-singular H still may not.
                    rowI[i] = Math.Sqrt(Math.Max(sum, 1e-12 * Math.Abs(a[((long)i * n) + i]) + 1e-300));
                }
                else
                {
                    rowI[j] = sum / a[((long)j * n) + j];
                }
            }
            rowI[(i + 1)..].Clear();
        }
        return a;
    }

    /// <summary>
    /// L^-1 for lower L, row by row in place: row i = (e_i - sum_{k&lt;i} L[i,k] row k of L^-1) / L[i,i] reads only
    /// its own row of L and the rows of L^-1 above it, so each finished row replaces the row of L it came from.
    /// </summary>
    private static double[] InvertLowerInPlace(double[] l, int n)
    {
        var row = new double[n];
        for (var i = 0; i < n; i++)
        {
            var target = row.AsSpan(0, i + 1);
            target.Clear();
            for (var k = 0; k < i; k++)
            {
                var factor = l[((long)i * n) + k];
                if (factor != 0)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(l, k * n, i + 1), -factor, target, target);
            }
            target[i] += 1;
            TensorPrimitives.Divide(target, l[((long)i * n) + i], target);
            target.CopyTo(new Span<double>(l, i * n, n));
        }
        return l;
    }
}
