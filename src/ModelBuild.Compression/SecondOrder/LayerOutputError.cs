using System.Numerics.Tensors;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// How far a changed weight moves a layer's output on the calibration data, from its statistics alone:
/// <c>||(W - W') X||^2 / ||W X||^2 = sum_r d_r^T H d_r / sum_r w_r^T H w_r</c> (undamped H, per group), so 0.01 is a
/// layer output 20 dB above the change's noise.
/// </summary>
internal static class LayerOutputError
{
    public static double Relative(LayerStatistics statistics, double[] before, double[] after)
    {
        var layer = statistics.Layer;
        var n = layer.Columns;
        var difference = new double[n];
        double noise = 0, signal = 0;
        for (var r = 0; r < layer.Rows; r++)
        {
            var h = statistics.Hessians[r / layer.RowsPerGroup];
            var original = new ReadOnlySpan<double>(before, r * n, n);
            TensorPrimitives.Subtract(original, new ReadOnlySpan<double>(after, r * n, n), difference);
            noise += QuadraticForm(h, difference, n);
            signal += QuadraticForm(h, original, n);
        }
        return signal > 0 ? noise / signal : noise > 0 ? double.PositiveInfinity : 0;
    }

    /// <summary>Per row, <c>w^T H w</c> under <paramref name="hessian"/> (n x n).</summary>
    public static double QuadraticForm(double[] hessian, ReadOnlySpan<double> w, int n)
    {
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            if (w[i] != 0) sum += w[i] * TensorPrimitives.Dot(new ReadOnlySpan<double>(hessian, i * n, n), w);
        }
        return sum;
    }
}
