namespace ModelBuild.Compression.Calibration;

/// <summary>The float range an activation is quantized over (min &lt;= max).</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    public override string ToString() => $"[{Min:G6}, {Max:G6}]";
}
