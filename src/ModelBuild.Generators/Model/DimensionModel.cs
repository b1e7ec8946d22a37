namespace ModelBuild.Generators.Model;

/// <summary>One dimension of a tensor in the generated class.</summary>
/// <param name="Text">As the description wrote it: a number, a symbolic name or <c>?</c>.</param>
/// <param name="ParameterName">For a dynamic input dimension: the <c>Run</c> parameter that supplies it; else null.</param>
internal sealed record DimensionModel(string Text, string? ParameterName);
