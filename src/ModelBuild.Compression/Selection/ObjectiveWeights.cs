using System.Globalization;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Selection;

/// <summary>
/// The weights of the selection objective's three terms (the TFLite paper's L, each term weighted 1 by default).
/// Parsed from <c>size=1,latency=0.5,accuracy=2</c>; terms not named keep weight 1.
/// </summary>
public sealed record ObjectiveWeights(double Size = 1, double Latency = 1, double Accuracy = 1)
{
    public const string AllowedForms = "comma-separated size=<w>, latency=<w>, accuracy=<w> with non-negative numbers, e.g. \"size=1,latency=0,accuracy=4\"";

    public static readonly ObjectiveWeights Equal = new();

    public static ObjectiveWeights Parse(string? text, string origin)
    {
        var weights = Equal;
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0 || !double.TryParse(pair[(equals + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || weight < 0 || !double.IsFinite(weight))
                throw Malformed(pair);
            weights = pair[..equals].Trim().ToLowerInvariant() switch
            {
                "size" => weights with { Size = weight },
                "latency" => weights with { Latency = weight },
                "accuracy" => weights with { Accuracy = weight },
                _ => throw Malformed(pair),
            };
        }
        return weights;

        CompressionException Malformed(string found) => new(DiagnosticCodes.MalformedOption, origin,
            $"objective weights '{found}' in '{text}' are malformed: expected {AllowedForms}", isCommandLineProblem: true);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"size={Size:0.###}, latency={Latency:0.###}, accuracy={Accuracy:0.###}");
}
