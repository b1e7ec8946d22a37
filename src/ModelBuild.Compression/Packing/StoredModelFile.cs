using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Compression.Packing;

/// <summary>A model file as stored: plain ONNX, or a ModelBuild container with the model it decodes to.</summary>
/// <param name="Model">The ONNX model (decoded, for a container).</param>
/// <param name="Container">The container's header, or null for a plain ONNX file.</param>
public sealed record StoredModel(ModelProto Model, ModelContainerInfo? Container);

/// <summary>
/// Loads what <c>modelbuild compress</c> writes, whichever form it took: <c>inspect</c> and <c>evaluate</c> accept a
/// container (a <c>+huffman</c> recipe's output) as well as an ONNX file.
/// </summary>
public static class StoredModelFile
{
    /// <exception cref="OnnxModelException">As <see cref="OnnxModelFile.Load"/>, for the file or the model a container holds.</exception>
    /// <exception cref="CompressionException">MB1022: the file is a container but a damaged one.</exception>
    public static StoredModel Load(string path)
    {
        if (!File.Exists(path) || !StartsWithContainerMagic(path))
            return new StoredModel(OnnxModelFile.Load(path), null);
        var stored = File.ReadAllBytes(path);
        try
        {
            var decoded = ModelContainer.Decode(stored);
            return new StoredModel(OnnxModelFile.Parse(decoded, path), ModelContainer.ReadInfo(stored));
        }
        catch (ModelContainerException e)
        {
            throw new CompressionException(DiagnosticCodes.DamagedContainer, path,
                $"the file is a ModelBuild container (a '+huffman' recipe's output) that cannot be decoded: {e.Detail} (byte {e.Offset}). Compress the model again");
        }
    }

    private static bool StartsWithContainerMagic(string path)
    {
        using var file = File.OpenRead(path);
        var start = new byte[8];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return ModelContainer.IsContainer(start.AsSpan(0, read));
    }
}
