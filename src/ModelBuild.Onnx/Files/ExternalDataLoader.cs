using Google.Protobuf;
using ModelBuild.Contracts.Diagnostics;
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
            throw new OnnxModelException(DiagnosticCodes.InvalidModel, modelPath,
                $"tensor '{tensor.Name}' has external data location '{reference.Location}'; expected a path inside the model's folder {modelFolder}");
        if (LinkOnTheWay(modelFolder, dataPath) is { } link)
            throw new OnnxModelException(DiagnosticCodes.ExternalDataMissing, modelPath,
                $"tensor '{tensor.Name}' has external data location '{reference.Location}', which goes through the symbolic link {link}; expected a plain file inside the model's folder {modelFolder}. Copy the data file there instead of linking it");
        if (!File.Exists(dataPath))
            throw new OnnxModelException(DiagnosticCodes.ExternalDataMissing, modelPath,
                $"tensor '{tensor.Name}' keeps its values in external file '{reference.Location}', expected at {dataPath}; found no such file. Copy the data file next to the model");

        // Sizes come from the file system before the file is opened: opening a FIFO or a device would wait for a
        // writer forever, and they report 0 bytes, so only a regular file long enough is ever opened.
        var length = reference.StoredBytes(tensor);
        var fileLength = new FileInfo(dataPath).Length;
        if (length > fileLength || reference.Offset > fileLength - length)
        {
            var found = fileLength == 0 ? "it reports 0 bytes (an empty file, or not a regular file: a FIFO or a device)" : $"the file has only {fileLength} bytes";
            throw new OnnxModelException(DiagnosticCodes.ExternalDataMissing, modelPath,
                $"tensor '{tensor.Name}' needs {length} bytes at offset {reference.Offset} of external file '{reference.Location}'; {found}. Expected a regular file holding them: restore the complete data file");
        }
        if (length > Array.MaxLength)
            throw new OnnxModelException(DiagnosticCodes.ExternalDataMissing, modelPath,
                $"tensor '{tensor.Name}' needs {length} bytes of external file '{reference.Location}'; expected at most {Array.MaxLength} bytes per tensor");
        if (length == 0)
            return [];
        using var stream = File.OpenRead(dataPath);
        var payload = new byte[length];
        stream.Position = reference.Offset;
        stream.ReadExactly(payload);
        return payload;
    }

    /// <summary>The first symbolic link among the components of <paramref name="dataPath"/> below the model's folder
    /// (the file itself included), or null. A link inside the folder may point anywhere (/etc/passwd, say).</summary>
    private static string? LinkOnTheWay(string modelFolder, string dataPath)
    {
        var components = new Stack<string>();
        for (var current = dataPath; current.Length > Path.TrimEndingDirectorySeparator(modelFolder).Length; current = Path.GetDirectoryName(current) ?? "")
            components.Push(current);
        return components.FirstOrDefault(component => new FileInfo(component).LinkTarget is not null);
    }
}
