namespace ModelBuild.Compression.Tests.Support;

/// <summary>
/// How close compressed outputs must stay to the original, as <see cref="OutputError.MaxRelative"/>. float16 keeps
/// 11 significant bits (relative rounding 2^-11 ~ 0.05% per weight); errors of many weights partly cancel, so 1% is
/// generous. int8 keeps 8 bits per weight and per activation (dynamic quantization), about 0.4% of the range each;
/// 10% of the largest output bounds what accumulates through deep nets such as PP-OCR.
/// </summary>
public static class Tolerances
{
    public const double Float16 = 0.01;
    public const double Int8Dynamic = 0.10;

    public static double For(Recipe recipe) => recipe.Name switch
    {
        "none" => 0,
        "fp16" => Float16,
        "int8-dynamic" => Int8Dynamic,
        _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe.Name, "no tolerance for this recipe"),
    };

    /// <summary>PP-OCR's DB post-processing threshold on the detector's probability map.</summary>
    public const float TextDetectionThreshold = 0.3f;

    /// <summary>
    /// Text-mask IoU the detector must keep. Measured on img_1.jpg at 640x384: fp16 keeps 99.8%, int8-dynamic 93.0%
    /// (its Conv weights carry per-channel outliers; edge pixels of text flip).
    /// </summary>
    public static double TextMaskAgreement(Recipe recipe) => recipe.Name == "fp16" ? 0.99 : 0.85;
}
