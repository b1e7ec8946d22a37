namespace ModelBuild.Compression.Passes;

/// <summary>The pass that runs one recipe step: an <see cref="IModelPass"/> or an <see cref="IPackingPass"/>.</summary>
internal interface IRecipePass
{
}
