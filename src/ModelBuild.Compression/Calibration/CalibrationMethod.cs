namespace ModelBuild.Compression.Calibration;

/// <summary>How an activation's observed values become the range it is quantized over.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: nothing clips, but one outlier stretches the grid.</summary>
    MinMax,

    /// <summary>The values at the lower and upper percentile: clips rare outliers.</summary>
    Percentile,

    /// <summary>
    /// The symmetric threshold whose quantized distribution is closest (KL divergence) to the observed one, as TensorRT
    /// does. Weighs values by how common they are, so it clips rare large ones: wrong where those carry the signal.
    /// </summary>
    Entropy,
}
