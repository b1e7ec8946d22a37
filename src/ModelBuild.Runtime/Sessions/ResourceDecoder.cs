using Microsoft.ML.OnnxRuntime;
using ModelBuild.Runtime.Packing;

namespace ModelBuild.Runtime;

/// <summary>
/// The ONNX model an embedded resource holds: a ModelBuild container (a <c>+huffman</c> recipe) decoded, plain ONNX as
/// it is. An app's first decode in a process also compiles the decoder (30-40 ms, the container benchmark's first
/// decode column), about as long as ONNX Runtime takes to start its environment (loading its native library), which the
/// session would do next. So while the caller decodes, another thread starts the environment: the first start of a
/// packed model then costs about what a plain one does instead of adding the two (the benchmark's first start columns).
/// </summary>
internal static class ResourceDecoder
{
    public static byte[] Decode(byte[] resource, string resourceName)
    {
        if (!ModelContainer.IsContainer(resource)) return resource;
        var environment = OrtEnv.IsCreated ? null : new Thread(StartEnvironment) { IsBackground = true, Name = "ModelBuild: ONNX Runtime start" };
        environment?.Start();
        try
        {
            return ModelContainer.Decode(resource);
        }
        catch (ModelContainerException e)
        {
            throw new InvalidDataException($"Embedded model '{resourceName}' cannot be decoded: {e.Message}", e);
        }
        finally
        {
            environment?.Join();
        }
    }

    private static void StartEnvironment()
    {
        try
        {
            OrtEnv.Instance();
        }
        catch (Exception)
        {
            // The session's own start meets the same failure on the caller's thread, and reports it there.
        }
    }
}
