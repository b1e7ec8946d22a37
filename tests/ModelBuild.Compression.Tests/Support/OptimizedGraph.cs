using Microsoft.ML.OnnxRuntime;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Support;

/// <summary>What ONNX Runtime made of a model, read from the graph it writes out (<c>OptimizedModelFilePath</c>).</summary>
public static class OptimizedGraph
{
    /// <summary>The graph ONNX Runtime runs, after its extended (hardware-independent) optimizations.</summary>
    public static ModelProto Of(ModelProto model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"modelbuild-optimized-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = OrtRunner.NewOptions())
            {
                options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
                options.OptimizedModelFilePath = path;
                using var session = new InferenceSession(OnnxModelFile.ToBytes(model), options);
            }
            return OnnxModelFile.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
