using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary>
/// What static int8 leaves out of the file, and that ONNX Runtime still runs every quantized layer on integers: zero
/// points of 0 on weights and biases where its fusions fill them in, and one scale and zero point initializer per value.
/// What ONNX Runtime made of a model is read from the graph it writes out (<c>OptimizedModelFilePath</c>).
/// </summary>
public sealed class CompactQdqLayoutTests
{
    private static readonly string[] FloatLayers = ["Conv", "Gemm", "MatMul"];

    [Theory]
    [InlineData(nameof(TestModels.ConvClassifier))]
    [InlineData(nameof(TestModels.MatMulModel))]
    [InlineData(nameof(TestModels.Ir3Model))]
    public void Onnx_runtime_runs_every_quantized_layer_on_integers(string modelName)
    {
        var original = TestModels.All[modelName]();
        var compressed = Int8(original, new StaticQuantizationOptions());

        var optimized = OptimizedGraph.Of(compressed);

        Assert.Empty(optimized.Graph.Node.Where(n => FloatLayers.Contains(n.OpType)).Select(n => n.OpType));
        Assert.Contains(optimized.Graph.Node, n => n.OpType is "QLinearConv" or "QGemm" or "QLinearMatMul");
        // Only the float output is dequantized: every QDQ pair in between was fused away.
        Assert.Equal(original.Graph.Output.Count, optimized.Graph.Node.Count(n => n.OpType == "DequantizeLinear"));
    }

    [Fact]
    public void Zero_points_of_zero_are_left_out_except_on_gemm_weights_and_shifted_uint8_weights()
    {
        var signed = Int8(TestModels.ConvClassifier(), new StaticQuantizationOptions(), Int8Scheme.U8S8);
        var unsigned = Int8(TestModels.ConvClassifier(), new StaticQuantizationOptions(), Int8Scheme.U8U8);

        Assert.Equal((2, 2, 3, 2), WeightAndBiasDequantizeInputs(signed));
        Assert.Equal((3, 2, 3, 2), WeightAndBiasDequantizeInputs(unsigned));
        var gemmWeight = Producer(signed.Graph, signed.Graph.Node.Single(n => n.OpType == "Gemm").Input[1]);
        Assert.All(signed.Graph.Initializer.Single(t => t.Name == gemmWeight.Input[2]).RawData, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(nameof(TestModels.ConvClassifier))]
    [InlineData(nameof(TestModels.Ir3Model))]
    public void Equal_grids_share_one_scale_and_one_zero_point_initializer(string modelName)
    {
        var compressed = Int8(TestModels.All[modelName](), new StaticQuantizationOptions());
        var graph = compressed.Graph;

        var scalars = graph.Initializer.Where(t => t.Dims.Count == 0).Select(t => (t.DataType, Bytes: Convert.ToHexString(t.RawData.Span))).ToList();
        Assert.Equal(scalars.Count, scalars.Distinct().Count());
        // A MaxPool or Reshape is on its input's grid: the QuantizeLinear pairs on both sides read the same initializers.
        var passThrough = graph.Node.Single(n => n.OpType is "MaxPool" or "Reshape");
        var before = Producer(graph, passThrough.Input[0]);
        var after = graph.Node.Single(n => n.OpType == "QuantizeLinear" && n.Input[0] == passThrough.Output[0]);
        Assert.Equal(before.Input.Skip(1), after.Input.Skip(1));
    }

    private static ModelProto Int8(ModelProto original, StaticQuantizationOptions options, Int8Scheme? scheme = null)
    {
        var inputs = Enumerable.Range(1, 32).Select(seed => RandomInputs.For(original, seed: seed).Values.Single())
            .Select(input => new ImageTensor((float[])input.Data, input.Shape)).ToList();
        return ModelCompressor.Compress(original, Recipe.Int8, new CompressionSettings { CalibrationInputs = inputs, Int8 = options, Scheme = scheme }).Model;
    }

    /// <summary>How many inputs the DequantizeLinear of the Conv weight, Conv bias, Gemm weight and Gemm bias have.</summary>
    private static (int, int, int, int) WeightAndBiasDequantizeInputs(ModelProto model)
    {
        var graph = model.Graph;
        int Inputs(string opType, int input) => Producer(graph, graph.Node.Single(n => n.OpType == opType).Input[input]).Input.Count;
        return (Inputs("Conv", 1), Inputs("Conv", 2), Inputs("Gemm", 1), Inputs("Gemm", 2));
    }

    private static NodeProto Producer(GraphProto graph, string value) => graph.Node.Single(n => n.Output.Contains(value));
}
