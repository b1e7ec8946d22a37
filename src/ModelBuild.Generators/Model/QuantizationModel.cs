namespace ModelBuild.Generators.Model;

/// <summary>The static property that exposes a uint8 input's or output's grid.</summary>
/// <param name="PropertyName">The C# property, e.g. <c>ImageQuantization</c>.</param>
/// <param name="ScaleLiteral">The scale as a C# float literal that round-trips the description's value.</param>
/// <param name="ZeroPoint">The zero point, 0 to 255.</param>
internal sealed record QuantizationModel(string PropertyName, string ScaleLiteral, int ZeroPoint);
