using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Onnx;

namespace ModelBuild.Cli.Commands;

/// <summary>Removes the outputs of a run, so a failure never leaves a stale model that looks current.</summary>
public static class OutputFiles
{
    /// <summary>Deletes each file that exists. MB1009 (the output cannot be written) when one cannot be removed.</summary>
    public static void Delete(params string[] paths)
    {
        foreach (var path in paths)
        {
            // File.Exists is false for paths that cannot name a file (a parent that is a file): nothing to remove there.
            if (!File.Exists(path)) continue;
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OnnxModelException(DiagnosticCodes.CannotWrite, path,
                    $"the output of an earlier run could not be removed: {e.Message.TrimEnd('.')}. Check the file is not open and the folder is writable", e);
            }
        }
    }
}
