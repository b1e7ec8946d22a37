using System.Numerics.Tensors;

using ModelBuild.Compression.Quantization;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// The optimal-brain-surgeon sweep over one group's columns, left to right (SparseGPT, GPTQ): when column i of a row
/// is set to its new value q (0 when pruned, the grid point when quantized), the error <c>e = (w_i - q) / U[i,i]</c>
/// is taken out of the columns after it, <c>w_j -= e U[i,j]</c>, which is the least-squares repair of that row's
/// output on the calibration inputs given the columns already fixed. Each row is independent; the returned loss,
/// <c>sum e^2</c>, is the increase of <c>||(W - W') X||^2</c> under the damped H.
/// </summary>
internal static class ObsSweep
{
    /// <summary>SparseGPT's block width: the mask of a block is chosen from the weights as the columns before it left them.</summary>
    public const int BlockColumns = 128;

    /// <summary>
    /// Prunes rows [<paramref name="rowStart"/>, +<paramref name="rowCount"/>) of <paramref name="w"/> (row-major, n
    /// columns) to <paramref name="zeroCounts"/>[b] zeros in column block b, chosen per block by the smallest
    /// <c>w^2 / U[i,i]^2</c> (ties: the lower index), and repairs the rest.
    /// </summary>
    public static double Prune(double[] w, int rowStart, int rowCount, int n, double[] u, IReadOnlyList<int> zeroCounts)
    {
        double loss = 0;
        var mask = new bool[(long)rowCount * BlockColumns];
        for (int start = 0, b = 0; start < n; start += BlockColumns, b++)
        {
            var width = Math.Min(BlockColumns, n - start);
            var scores = new (double Score, int Index)[rowCount * width];
            for (var r = 0; r < rowCount; r++)
            for (var c = 0; c < width; c++)
            {
                var value = w[((long)(rowStart + r) * n) + start + c];
                var d = u[((long)(start + c) * n) + start + c];
                scores[(r * width) + c] = (value * value / (d * d), (r * width) + c);
            }
            Array.Sort(scores, static (x, y) => x.Score != y.Score ? x.Score.CompareTo(y.Score) : x.Index.CompareTo(y.Index));
            Array.Clear(mask);
            for (var k = 0; k < zeroCounts[b]; k++) mask[scores[k].Index] = true;
            for (var r = 0; r < rowCount; r++)
            {
                var row = new Span<double>(w, (rowStart + r) * n, n);
                for (var c = 0; c < width; c++)
                {
                    if (mask[(r * width) + c]) loss += Fix(row, start + c, 0, u, n);
                }
            }
        }
        return loss;
    }

    /// <summary>
    /// Rounds each row to the symmetric grid of its scale, [-maxLevel, maxLevel], column by column with the error
    /// fed forward (GPTQ); a weight that is exactly 0 in <paramref name="keepZero"/> (a pruned one) stays 0.
    /// </summary>
    public static double Quantize(double[] w, int rowStart, int rowCount, int n, double[] u, float[] scales, int maxLevel, Func<int, int, bool> keepZero)
    {
        double loss = 0;
        for (var r = 0; r < rowCount; r++)
        {
            var row = new Span<double>(w, (rowStart + r) * n, n);
            var scale = scales[rowStart + r];
            for (var c = 0; c < n; c++)
                loss += Fix(row, c, keepZero(rowStart + r, c) ? 0 : LowBitGrid.Round(row[c], scale, maxLevel), u, n);
        }
        return loss;
    }

    /// <summary>Sets column <paramref name="i"/> of the row to <paramref name="value"/> and repairs the columns after it; returns e^2.</summary>
    private static double Fix(Span<double> row, int i, double value, double[] u, int n)
    {
        var e = (row[i] - value) / u[((long)i * n) + i];
        row[i] = value;
        if (e != 0 && i + 1 < n)
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<double>(u, (i * n) + i + 1, n - i - 1), -e, row[(i + 1)..], row[(i + 1)..]);
        return e * e;
    }
}
