using Google.Protobuf;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>
/// Reads every external-data tensor into <c>raw_data</c>, so the rest of ModelBuild sees all weights in memory and a
/// saved model is one self-contained file (which is what gets embedded).
/// </summary>
internal static class ExternalDataLoader
{
    public static void LoadInto(ModelProto model, string modelPath)
    {
        var modelFolder = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
        foreach (var tensor in ModelTensors.All(model))
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
                continue;
            var reference = ExternalDataReference.Of(tensor);
            tensor.RawData = ByteString.CopyFrom(ReadPayload(tensor, reference, modelFolder, modelPath));
            tensor.ExternalData.Clear();
            tensor.DataLocation = TensorProto.Types.DataLocation.Default;
        }
    }

    private static byte[] ReadPayload(TensorProto tensor, ExternalDataReference reference, string modelFolder, string modelPath)
    {
        // The spec requires locations relative to the model's folder; refusing anything else keeps a model file
        // from reading arbitrary files of the build machine.
        var dataPath = Path.GetFullPath(Path.Combine(modelFolder, reference.Location));
        var folderWithSeparator = Path.TrimEndingDirectorySeparator(modelFolder) + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(reference.Location) || !dataPath.StartsWith(folderWithSeparator, StringComparison.Ordinal))
            throw new OnnxModelException(OnnxErrorCodes.InvalidModel, modelPath,
                $"tensor '{tensor.Name}' has external data location '{reference.Location}'; expected a path inside the model's folder {modelFolder}");
        if (!File.Exists(dataPath))
            throw new OnnxModelException(OnnxErrorCodes.ExternalDataMissing, modelPath,
                $"tensor '{tensor.Name}' keeps its values in external file '{reference.Location}', expected at {dataPath}; found no such file. Copy the data file next to the model");

        var length = reference.StoredBytes(tensor);
        using var stream = File.OpenRead(dataPath);
        if (reference.Offset + length > stream.Length)
            throw new OnnxModelException(OnnxErrorCodes.ExternalDataMissing, modelPath,
                $"tensor '{tensor.Name}' needs bytes {reference.Offset}..{reference.Offset + length} of external file '{reference.Location}'; the file has only {stream.Length} bytes. Restore the complete data file");
        var payload = new byte[length];
        stream.Position = reference.Offset;
        stream.ReadExactly(payload);
        return payload;
    }
}
