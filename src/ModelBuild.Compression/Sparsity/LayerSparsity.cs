namespace ModelBuild.Compression.Sparsity;

/// <summary>One layer's weight tensor: how many values it holds and how many of them are exactly zero (after dequantization).</summary>
public sealed record LayerSparsity(string NodeName, string OperatorType, string TensorName, long Elements, long Zeros)
{
    public double Fraction => Elements == 0 ? 0 : (double)Zeros / Elements;
}
