namespace ModelBuild.Generators.Description;

/// <summary>A <c>quantization</c> record: the uint8 grid of one graph input or output (recipe <c>int8-full</c>).</summary>
/// <param name="Kind"><c>input</c> or <c>output</c>.</param>
/// <param name="TensorName">The tensor's name in the graph; an <c>input</c> or <c>output</c> record of that kind names it too.</param>
/// <param name="Scale">The float step between two levels, positive.</param>
/// <param name="ZeroPoint">The level that stands for 0.</param>
/// <param name="Line">Zero-based line of the record.</param>
internal sealed record DescribedQuantization(string Kind, string TensorName, float Scale, byte ZeroPoint, int Line);
