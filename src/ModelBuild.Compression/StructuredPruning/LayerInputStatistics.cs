namespace ModelBuild.Compression.StructuredPruning;

/// <summary>
/// What calibration saw at one layer's input, per column of its weight (a Conv's input channel x kernel position,
/// a Gemm's input feature): the mean, the second moment, and, where the layer is narrow enough, the second-moment
/// matrix of the columns with a constant 1 appended (<see cref="Moments"/>, row-major, order <c>Columns + 1</c>), from
/// which the repair re-fits the layer by least squares. Gathered on a pruned model beside the original, it also
/// holds the cross moments E[z z_original^T] and the original's means, so the fit targets the original's output.
/// </summary>
internal sealed class LayerInputStatistics(int columns, int kernelSize, bool withMoments, bool againstOriginal)
{
    /// <summary>Columns of the layer's weight: input channels x kernel positions.</summary>
    public int Columns { get; } = columns;

    /// <summary>A Conv's kernel, strides, dilations and paddings (null for a Gemm, or a Conv unfolded by channel means only).</summary>
    public SecondOrder.ConvGeometry? Geometry { get; init; }

    /// <summary>Kernel positions per input channel (1 for a Gemm).</summary>
    public int KernelSize { get; } = kernelSize;

    public double[] Mean { get; } = new double[columns];

    public double[] SecondMoment { get; } = new double[columns];

    /// <summary>E[z z^T] for z = (columns, 1), or null when the layer is too wide to afford it.</summary>
    public double[]? Moments { get; } = withMoments ? new double[(columns + 1) * (columns + 1)] : null;

    /// <summary>E[z z_original^T] (same layout), or null when gathered on the original itself (then it is <see cref="Moments"/>).</summary>
    public double[]? Cross { get; } = withMoments && againstOriginal ? new double[(columns + 1) * (columns + 1)] : null;

    /// <summary>The original model's input means (the same array as <see cref="Mean"/> when gathered on the original).</summary>
    public double[] OriginalMean { get; } = new double[columns];

    /// <summary>How many samples (input positions) went in.</summary>
    public long Samples { get; set; }

    /// <summary>Divides the sums by the sample count once calibration is over.</summary>
    public void Normalize()
    {
        if (Samples == 0) return;
        for (var i = 0; i < Columns; i++)
        {
            Mean[i] /= Samples;
            SecondMoment[i] /= Samples;
            OriginalMean[i] /= Samples;
        }
        if (Moments is null) return;
        var order = Columns + 1;
        if (Cross is not null)
        {
            for (var i = 0; i < Cross.Length; i++) Cross[i] /= Samples;
        }
        for (var i = 0; i < order; i++)
        {
            for (var j = i; j < order; j++)
            {
                var value = Moments[(i * order) + j] / Samples;
                Moments[(i * order) + j] = value;
                Moments[(j * order) + i] = value;
            }
        }
    }
}
