using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Passes;

/// <summary>
/// The fp16 and int8 Conv weights are widened "once at load": ONNX Runtime's constant folding at session start
/// turns the Cast (and Mul by scales) into float initializers, so inference runs float32 kernels.
/// </summary>
public sealed class SessionFoldingTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8-dynamic")]
    public void ONNX_Runtime_folds_the_widening_nodes_into_float_weights(string recipeName)
    {
        var compressed = ModelCompressor.Compress(ExtraModels.WideConv(), Recipe.Parse(recipeName)).Model;
        Assert.Contains(compressed.Graph.Node, n => n.OpType == "Cast");

        var optimized = Optimize(compressed);

        Assert.DoesNotContain(optimized.Graph.Node, n => n.OpType is "Cast" or "Mul");
        Assert.DoesNotContain(optimized.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);
        var conv = Assert.Single(optimized.Graph.Node, n => n.OpType == "Conv");
        Assert.Equal((int)TensorProto.Types.DataType.Float, optimized.Graph.Initializer.Single(t => t.Name == conv.Input[1]).DataType);
    }

    /// <summary>The graph as ONNX Runtime runs it after its basic (constant-folding) optimizations.</summary>
    private ModelProto Optimize(ModelProto model)
    {
        var optimizedPath = _folder.File("optimized.onnx");
        using (var options = new SessionOptions { OptimizedModelFilePath = optimizedPath, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC })
        using (new InferenceSession(OnnxModelFile.ToBytes(model), options))
        {
        }
        return OnnxModelFile.Load(optimizedPath);
    }
}
