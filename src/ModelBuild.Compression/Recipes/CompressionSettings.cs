using ModelBuild.Compression.Data;
using ModelBuild.Compression.StaticQuantization;

namespace ModelBuild.Compression;

/// <summary>
/// What a recipe needs beyond its name: the calibration inputs (batch 1, for the model's first input; null when
/// there are none) and the static int8 options (calibration method, exclusions). Recipes that need neither ignore
/// them. The inputs are enumerated once per calibration: a lazily read sequence keeps memory flat however many
/// there are, at the cost of reading them again for each calibrated candidate.
/// </summary>
public sealed record CompressionSettings
{
    public static readonly CompressionSettings Default = new();

    public IEnumerable<ImageTensor>? CalibrationInputs { get; init; }

    public StaticQuantizationOptions Int8 { get; init; } = new();
}
