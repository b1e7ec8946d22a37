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

    /// <summary>Rows and columns handled together, so the trailing updates read a panel that stays in cache.</summary>
    private const int Block = 128;

    /// <summary>
    /// Lower L with A = L L^T, blocked right-looking (each panel of <see cref="Block"/> columns factored, then the
    /// trailing rows updated by dot products of contiguous panel rows). Overwrites and returns <paramref name="a"/>.
    /// </summary>
    private static double[] Cholesky(double[] a, int n)
    {
        for (var k0 = 0; k0 < n; k0 += Block)
        {
            var k1 = Math.Min(n, k0 + Block);
            // The panel's columns k0..k1 of every row from k0 down, earlier panels already subtracted.
            for (var i = k0; i < n; i++)
            {
                var rowI = new Span<double>(a, i * n, n);
                for (var j = k0; j < Math.Min(k1, i + 1); j++)
                {
                    var sum = rowI[j] - TensorPrimitives.Dot(rowI[k0..j], new ReadOnlySpan<double>(a, (j * n) + k0, j - k0));
                    if (i == j)
                    {
                        // Damping keeps H positive definite in exact arithmetic; rounding on a near-singular H still may not.
                        rowI[i] = Math.Sqrt(Math.Max(sum, (1e-12 * Math.Abs(rowI[i])) + 1e-300));
                    }
                    else
                    {
                        rowI[j] = sum / a[((long)j * n) + j];
                    }
                }
            }
            // Trailing update: A[i, j] -= L[i, k0..k1] . L[j, k0..k1] for k1 <= j <= i.
            for (var i = k1; i < n; i++)
            {
                var panelI = new ReadOnlySpan<double>(a, (i * n) + k0, k1 - k0);
                for (var j = k1; j <= i; j++)
                    a[((long)i * n) + j] -= TensorPrimitives.Dot(panelI, new ReadOnlySpan<double>(a, (j * n) + k0, k1 - k0));
            }
        }
        for (var i = 0; i < n; i++) new Span<double>(a, (i * n) + i + 1, n - i - 1).Clear();
        return a;
    }

    /// <summary>
    /// L^-1 for lower L, in place, a block of rows at a time: row i of X = L^-1 is
    /// <c>(e_i - sum_{k&lt;i} L[i,k] X[k,:]) / L[i,i]</c>; the part over earlier blocks is gathered for the whole block
    /// in one pass over their rows of X (so X is read once per block, not once per row), the rest row by row. Each
    /// finished row of X replaces the row of L it came from, which nothing reads afterwards.
    /// </summary>
    private static double[] InvertLowerInPlace(double[] l, int n)
    {
        var sums = new double[(long)Block * n];
        for (var b0 = 0; b0 < n; b0 += Block)
        {
            var b1 = Math.Min(n, b0 + Block);
            var rows = b1 - b0;
            Array.Clear(sums, 0, rows * n);
            for (var k = 0; k < b0; k++)
            {
                var xk = new ReadOnlySpan<double>(l, k * n, k + 1);
                for (var r = 0; r < rows; r++)
                {
                    var factor = l[((long)(b0 + r) * n) + k];
                    if (factor != 0)
                    {
                        var target = new Span<double>(sums, r * n, k + 1);
                        TensorPrimitives.MultiplyAdd(xk, factor, target, target);
                    }
                }
            }
            for (var r = 0; r < rows; r++)
            {
                var i = b0 + r;
                var row = new Span<double>(sums, r * n, i + 1);
                for (var k = b0; k < i; k++)
                {
                    var factor = l[((long)i * n) + k];
                    if (factor != 0)
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(l, k * n, k + 1), factor, row[..(k + 1)], row[..(k + 1)]);
                }
                var diagonal = l[((long)i * n) + i];
                TensorPrimitives.Negate(row, row);
                row[i] += 1;
                TensorPrimitives.Divide(row, diagonal, row);
                row.CopyTo(new Span<double>(l, i * n, n));
            }
        }
        return l;
    }
}
