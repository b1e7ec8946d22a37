namespace ModelBuild.Generators.Model;

/// <summary>A <c>long</c> parameter of <c>Run</c> that supplies a dynamic dimension, shared by every input using it.</summary>
/// <param name="ParameterName">The C# parameter.</param>
/// <param name="Meaning">What it stands for, for the XML docs.</param>
internal sealed record DimensionParameterModel(string ParameterName, string Meaning);
