using ModelBuild.Compression.Calibration;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Quantization;

/// <summary>Settings of <see cref="StaticInt8Quantizer"/>; the defaults give the same integer results on every CPU (target <c>portable</c>).</summary>
public sealed record StaticQuantizationOptions
{
    public CalibrationMethod CalibrationMethod { get; init; } = CalibrationMethod.MinMax;

    /// <summary>Used by <see cref="CalibrationMethod.Percentile"/>: the upper percentile kept (the lower is 100 minus it).</summary>
    public double Percentile { get; init; } = 99.99;

    public ActivationType ActivationType { get; init; } = ActivationType.UInt8;

    /// <summary>Set from the target CPU by <see cref="ModelCompressor"/>; 7-bit by default, exact on every kernel (see <see cref="Targets.TargetCpus.SchemeFor"/>).</summary>
    public WeightFormat WeightFormat { get; init; } = WeightFormat.PerLayer;


    /// <summary>
    /// <c>int8-full</c>: float graph inputs and outputs become uint8 on their calibrated grids (see
    /// <see cref="StaticQuantizationResult.Boundaries"/>); needs <see cref="ActivationType.UInt8"/>.
    /// </summary>
    public bool UInt8InputsAndOutputs { get; init; }

    /// <summary>
    /// Weights (by initializer name) a low-bit step already put on a grid of its own (<c>int4</c>): stored signed on
    /// exactly that grid (uint8 under <see cref="WeightFormat.UInt8"/>), whatever <see cref="WeightFormat"/> says
    /// otherwise; their few levels fit every kernel.
    /// </summary>
    public IReadOnlyDictionary<string, LowBitGrid> LowBitWeights { get; init; } = new Dictionary<string, LowBitGrid>(StringComparer.Ordinal);

    /// <summary>Node names kept in float.</summary>
    public IReadOnlySet<string> ExcludeNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Operator types (e.g. <c>Gemm</c>) kept in float.</summary>
    public IReadOnlySet<string> ExcludeOps { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// True for a node the user keeps as it is (<see cref="ExcludeNodes"/>, <see cref="ExcludeOps"/>): not quantized,
    /// and not pruned or clustered either, so the advice of warning MB2006 holds whatever the recipe.
    /// </summary>
    public bool Excludes(NodeProto node) => ExcludeNodes.Contains(node.Name) || ExcludeOps.Contains(node.OpType);
}
