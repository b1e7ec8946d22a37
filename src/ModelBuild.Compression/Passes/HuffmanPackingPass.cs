using ModelBuild.Compression.Packing;

namespace ModelBuild.Compression.Passes;

/// <summary>Packing (Deep Compression's last stage): the ONNX bytes stored as a ModelBuild container with entropy-coded weights.</summary>
[RecipeStep(RecipeSteps.Huffman)]
internal sealed class HuffmanPackingPass : IPackingPass
{
    public byte[] Pack(byte[] stored, PassContext context) => ModelContainerWriter.Write(stored);
}
