using System.Numerics.Tensors;

namespace ModelBuild.Compression.SecondOrder;

/// <summary>
/// What the calibration data says about one layer's input columns, per group: <c>H = sum x x^T</c> (columns x
/// columns, symmetric, double) and <c>sum x</c> over every input column the layer multiplies (a Conv's im2col patches,
/// padding zeros included; a Gemm/MatMul's rows), and how many there were.
/// </summary>
internal sealed class LayerStatistics
{
    private const int BlockSize = 64;
    private readonly double[][] block;
    private int filled;

    public LayerStatistics(LinearLayer layer)
    {
        Layer = layer;
        Hessians = Enumerable.Range(0, layer.Groups).Select(_ => new double[(long)layer.Columns * layer.Columns]).ToArray();
        Sums = Enumerable.Range(0, layer.Groups).Select(_ => new double[layer.Columns]).ToArray();
        // One block of columns per group, stored column-major (a feature's values over the block are contiguous).
        block = Enumerable.Range(0, layer.Groups).Select(_ => new double[(long)layer.Columns * BlockSize]).ToArray();
    }

    public LinearLayer Layer { get; }

    /// <summary>Per group, row-major; complete (both triangles) once <see cref="Complete"/> ran.</summary>
    public double[][] Hessians { get; }

    public double[][] Sums { get; }

    /// <summary>How many input columns each group saw.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes one layer's statistics take: the matrices plus the blocks being filled.</summary>
    public static long BytesFor(LinearLayer layer) => 8L * layer.Groups * layer.Columns * ((long)layer.Columns + BlockSize + 1);

    /// <summary>Adds one input column of group <paramref name="group"/> (its <see cref="LinearLayer.Columns"/> values).</summary>
    public void Add(int group, ReadOnlySpan<double> column)
    {
        var columns = Layer.Columns;
        var target = block[group];
        for (var i = 0; i < columns; i++) target[((long)i * BlockSize) + filled] = column[i];
        TensorPrimitives.Add(Sums[group], column, Sums[group]);
    }

    /// <summary>Ends one column for every group (call after <see cref="Add"/> for each group).</summary>
    public void Next()
    {
        Count++;
        if (++filled == BlockSize) Flush();
    }

    /// <summary>Folds the pending block in and mirrors the upper triangle into the lower.</summary>
    public void Complete()
    {
        Flush();
        var n = Layer.Columns;
        foreach (var h in Hessians)
        {
            for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                h[((long)j * n) + i] = h[((long)i * n) + j];
        }
    }

    private void Flush()
    {
        if (filled == 0) return;
        var n = Layer.Columns;
        for (var g = 0; g < Layer.Groups; g++)
        {
            var values = block[g];
            var h = Hessians[g];
            for (var i = 0; i < n; i++)
            {
                var xi = new ReadOnlySpan<double>(values, i * BlockSize, filled);
                for (var j = i; j < n; j++)
                    h[((long)i * n) + j] += TensorPrimitives.Dot(xi, new ReadOnlySpan<double>(values, j * BlockSize, filled));
            }
        }
        filled = 0;
    }
}
