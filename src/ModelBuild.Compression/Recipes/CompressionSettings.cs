using ModelBuild.Compression.Data;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;

namespace ModelBuild.Compression;

/// <summary>
/// What a recipe needs beyond its name: the calibration inputs (batch 1, for the model's first input; null when
/// there are none) and the static int8 options (calibration method, exclusions; a recipe parameter such as
/// <c>int8:entropy</c> wins over them, see <see cref="Quantization.StaticInt8Pass"/>). Recipes that need neither ignore
/// them. The inputs are enumerated once per calibration: a lazily read sequence keeps memory flat however many
/// there are, at the cost of reading them again for each calibrated candidate.
/// </summary>
public sealed record CompressionSettings
{
    public static readonly CompressionSettings Default = new();

    public IEnumerable<ImageTensor>? CalibrationInputs { get; init; }

    /// <summary>
    /// The evaluation inputs when the item has evaluation data (null otherwise): <c>prune</c> measures each layer's
    /// sensitivity on them rather than on the calibration inputs it repairs from.
    /// </summary>
    public IReadOnlyList<ImageTensor>? EvaluationInputs { get; init; }

    public StaticQuantizationOptions Int8 { get; init; } = new();

    /// <summary>The CPUs the model is for: it decides the <see cref="Int8Scheme"/> of int8 weights (docs/internals.md, "Target CPU").</summary>
    public TargetCpu Target { get; init; } = TargetCpu.Portable;

    /// <summary>Overrides the scheme <see cref="Target"/> implies (to measure the schemes side by side); null: the target's.</summary>
    public Int8Scheme? Scheme { get; init; }
}
