using Microsoft.ML.OnnxRuntime;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Comparison;

/// <summary>
/// The weight bytes ONNX Runtime holds for a model: the initializers of the graph it builds at session start, which
/// it writes out through <c>OptimizedModelFilePath</c>. The stored size alone misleads: ONNX Runtime folds float16
/// weights and some dequantized int8 weights back into float32 when the session starts.
/// </summary>
public static class MemoryFootprint
{
    public static long WeightBytes(byte[] model) => ModelTensors.All(SessionGraph(model)).Sum(TensorData.StoredBytes);

    /// <summary>The model as ONNX Runtime rewrites it at session start (extended optimizations, one intra-op thread).</summary>
    public static ModelProto SessionGraph(byte[] model)
    {
        var optimizedPath = Path.Combine(Path.GetTempPath(), $"modelbuild-optimized-{Guid.NewGuid():N}.onnx");
        try
        {
            // Extended, not all: the layout-specific (NCHWc) rewrites of the highest level cannot be saved as ONNX.
            using (var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                OptimizedModelFilePath = optimizedPath,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                IntraOpNumThreads = 1,
            })
            using (new InferenceSession(model, options))
            {
            }
            return OnnxModelFile.Load(optimizedPath);
        }
        finally
        {
            File.Delete(optimizedPath);
            // Large models get their weights written beside the optimized model; none here, but never leave litter.
            foreach (var extra in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(optimizedPath) + "*"))
                File.Delete(extra);
        }
    }
}
