using ModelBuild.Contracts.Description;

namespace ModelBuild.Compression.Quantization;

/// <summary>
/// The uint8 grid of a graph input or output of an <c>int8-full</c> model: the caller quantizes float values as
/// <c>q = saturate(round_half_to_even(x / Scale) + ZeroPoint)</c> and reads outputs as <c>Scale * (q - ZeroPoint)</c>.
/// </summary>
/// <param name="Kind"><c>input</c> or <c>output</c>, as in the model description.</param>
/// <param name="Name">The tensor's name in the graph.</param>
/// <param name="Scale">The float32 step between two levels.</param>
/// <param name="ZeroPoint">The level that stands for 0.</param>
public sealed record BoundaryQuantization(string Kind, string Name, float Scale, byte ZeroPoint)
{
    // The description's quantization record names the kind by the record name of the tensor it quantizes.
    public const string InputKind = ModelDescriptionFormat.Input;
    public const string OutputKind = ModelDescriptionFormat.Output;

    /// <summary>The grid as the public type generated classes expose (one quantization-parameters type for every uint8 boundary).</summary>
    public Runtime.QuantizationParameters Parameters => new(Scale, ZeroPoint);
}
