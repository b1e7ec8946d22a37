using ModelBuild.Compression.Data;
using ModelBuild.Compression.StaticQuantization;

namespace ModelBuild.Compression;

/// <summary>
/// What a recipe needs beyond its name: the calibration inputs (batch 1, for the model's first input) and the static
/// int8 options (calibration method, exclusions). Recipes that need neither ignore them.
/// </summary>
public sealed record CompressionSettings
{
    public static readonly CompressionSettings Default = new();

    public IReadOnlyList<ImageTensor> CalibrationInputs { get; init; } = [];

    public StaticQuantizationOptions Int8 { get; init; } = new();
}
