namespace ModelBuild.Compression.Sparsity;

/// <summary>
/// The exact zeros in a model's layer weights (Conv, Gemm, MatMul and their integer forms; biases not counted).
/// A model "looks pruned" when at least <see cref="PrunedThreshold"/> of those weights are exactly zero: a trained
/// dense model has almost none (int8 rounding adds about 1 %, see the zoo's QAT model), while magnitude pruning
/// leaves 50-95 %.
/// </summary>
public sealed record ModelSparsity(IReadOnlyList<LayerSparsity> Layers)
{
    public const double PrunedThreshold = 0.5;

    public long Elements => Layers.Sum(l => l.Elements);

    public long Zeros => Layers.Sum(l => l.Zeros);

    public double Fraction => Elements == 0 ? 0 : (double)Zeros / Elements;

    public bool LooksPruned => Elements > 0 && Fraction >= PrunedThreshold;
}
