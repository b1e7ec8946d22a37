namespace ModelBuild.Compression.Passes;

/// <summary>A packing step: encodes the finished model's bytes (the stored form is then a ModelBuild container).</summary>
internal interface IPackingPass : IRecipePass
{
    byte[] Pack(byte[] stored, PassContext context);
}
