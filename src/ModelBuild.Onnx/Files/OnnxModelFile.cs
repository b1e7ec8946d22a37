using System.Text;
using Google.Protobuf;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>Reads, validates and writes ONNX model files, with a coded error for every way a file can be wrong.</summary>
public static class OnnxModelFile
{
    private const string GitLfsPointerStart = "version https://git-lfs.github.com/spec/";

    /// <summary>
    /// Validates and parses the file, then reads any external data (relative to the model's folder) into
    /// <c>raw_data</c>. Throws <see cref="OnnxModelException"/>: MB1001 missing, MB1002 empty, MB1003 Git LFS
    /// pointer, MB1004 not a valid model, MB1008 external data missing or short.
    /// </summary>
    public static ModelProto Load(string path)
    {
        if (!File.Exists(path))
        {
            var found = Directory.Exists(path) ? "a folder" : "nothing";
            throw new OnnxModelException(DiagnosticCodes.ModelNotFound, path,
                $"model file not found: expected an .onnx file at {Path.GetFullPath(path)}, found {found}. Check the path");
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException(DiagnosticCodes.ModelNotFound, path, $"model file exists but cannot be read: {e.Message.TrimEnd('.')}. Check its permissions", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Same checks as <see cref="Load"/> on bytes already in memory; external data is looked up beside
    /// <paramref name="pathForMessages"/>.</summary>
    public static ModelProto Parse(byte[] bytes, string pathForMessages)
    {
        if (bytes.Length == 0)
            throw new OnnxModelException(DiagnosticCodes.ModelFileEmpty, pathForMessages,
                "model file is empty (0 bytes); expected an ONNX model. Re-export or re-download it");
        if (IsGitLfsPointer(bytes))
            throw new OnnxModelException(DiagnosticCodes.GitLfsPointer, pathForMessages,
                $"model file is a Git LFS pointer ({bytes.Length} bytes of text: '{FirstLine(bytes)}'), not the model; run 'git lfs pull' to fetch the real file");

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxModelException(DiagnosticCodes.InvalidModel, pathForMessages,
                $"not a valid ONNX model: expected a protobuf ModelProto, but reading {bytes.Length} bytes failed ({e.Message}). The file is truncated or not an ONNX model", e);
        }
        if (ModelValidator.FindProblem(model) is { } problem)
            throw new OnnxModelException(DiagnosticCodes.InvalidModel, pathForMessages, $"not a valid ONNX model: {problem}");
        try
        {
            ExternalDataLoader.LoadInto(model, pathForMessages);
        }
        catch (OnnxModelException e) when (e.FilePath is null)
        {
            throw new OnnxModelException(e.Code, pathForMessages, e.Detail, e);
        }
        return model;
    }

    public static byte[] ToBytes(ModelProto model) => model.ToByteArray();

    /// <summary>Writes the model beside <paramref name="path"/> and moves it into place. MB1009 on failure.</summary>
    public static void SaveAtomic(ModelProto model, string path) => WriteAllBytesAtomic(path, ToBytes(model));

    /// <summary>
    /// Writes to a temporary file in the target's folder (same volume, so the move is a rename) and moves it over
    /// the target: a reader sees the old file or the new one, never a half-written one. MB1009 on failure.
    /// </summary>
    public static void WriteAllBytesAtomic(string path, byte[] bytes)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? ".";
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new OnnxModelException(DiagnosticCodes.CannotWrite, path,
                $"the output could not be written: expected to write {bytes.Length} bytes to {fullPath}, but the system said: {e.Message.TrimEnd('.')}. Check the folder exists and is writable", e);
        }
    }

    private static bool IsGitLfsPointer(byte[] bytes) =>
        bytes.AsSpan().StartsWith(Encoding.ASCII.GetBytes(GitLfsPointerStart));

    private static string FirstLine(byte[] bytes)
    {
        var text = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 200));
        var end = text.IndexOf('\n');
        return end < 0 ? text : text[..end];
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one worth reporting; a stray temp file is named so it is recognizable.
        }
    }
}
