using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Quantization;

/// <summary>
/// A converted QAT export (PyTorch: every tensor in a Constant node, bias zero points made by ConstantOfShape + Cast,
/// a no-op Cast between each QuantizeLinear and DequantizeLinear) is recognized as quantized, cleaned without
/// changing a value, and never quantized twice.
/// </summary>
public sealed class QuantizedExportCleanerTests
{
    /// <summary>x -> QuantizeLinear (uint8) -> Cast to uint8 (no-op) -> Cast to int8 (real) -> DequantizeLinear -> y; zero point from ConstantOfShape.</summary>
    private static ModelProto CastModel() => new OnnxModelBuilder(opset: 13)
        .Input("x", DataType.Float, 1, 6)
        .Output("y", DataType.Float, 1, 6)
        .Constant(TensorData.FromFloats("scale", [], [0.05f]))
        .Constant(TensorData.FromUInt8("zero_point", [], [100]))
        .Constant(TensorData.FromInt64("zp_shape", [1], [1]))
        .Node("QuantizeLinear", ["x", "scale", "zero_point"], ["q"])
        .Node("Cast", ["q"], ["q_u8"], OnnxAttributes.Int("to", (long)DataType.Uint8))
        .Node("Cast", ["q_u8"], ["q_s8"], OnnxAttributes.Int("to", (long)DataType.Int8))
        .Node("ConstantOfShape", ["zp_shape"], ["zp_raw"], OnnxAttributes.Tensor("value", TensorData.FromInt8("v", [1], [-3])))
        .Node("Cast", ["zp_raw"], ["zp_s8"], OnnxAttributes.Int("to", (long)DataType.Int8))
        .Node("DequantizeLinear", ["q_s8", "scale", "zp_s8"], ["y"])
        .Build();

    [Fact]
    public void Casts_to_the_type_their_input_has_go_and_real_casts_stay_with_the_same_outputs()
    {
        var original = CastModel();
        var cleaned = original.Clone();

        var cleanup = QuantizedExportCleaner.Clean(cleaned);

        Assert.Equal(new QuantizedExportCleanup(3, 1, 2), cleanup);
        var cast = Assert.Single(cleaned.Graph.Node, n => n.OpType == "Cast");
        Assert.Equal(["q"], cast.Input);
        Assert.Equal((int)DataType.Int8, cleaned.Graph.Initializer.Single(t => t.Name == "zp_raw").DataType);
        Assert.DoesNotContain(cleaned.Graph.Node, n => n.OpType is "Constant" or "ConstantOfShape");
        var input = new Dictionary<string, InputTensor> { ["x"] = new InputTensor(new[] { -4f, -0.01f, 0, 0.026f, 1.5f, 9f }, [1, 6]) };
        Assert.Equal(Run(original, input), Run(cleaned, input));
        Assert.Equal(new QuantizedExportCleanup(0, 0, 0), QuantizedExportCleaner.Clean(cleaned));
    }

    [Fact]
    public void A_cast_that_is_a_graph_output_stays()
    {
        var model = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, 1, 2)
            .Output("y", DataType.Float, 1, 2)
            .Node("Cast", ["x"], ["y"], OnnxAttributes.Int("to", (long)DataType.Float))
            .Build();

        Assert.Equal(0, QuantizedExportCleaner.Clean(model).RemovedCasts);
    }

    [ZooTheory]
    [InlineData("int8")]
    [InlineData("int8-dynamic")]
    [InlineData("fp16")]
    [InlineData("huffman")]
    [InlineData("int8+huffman")]
    public void The_converted_qat_export_is_cleaned_not_requantized_and_keeps_its_93_28_percent(string recipeName)
    {
        var zoo = ZooModels.FamilyQat;
        var original = OnnxModelFile.Parse(File.ReadAllBytes(zoo.ModelPath), zoo.ModelPath);
        var settings = new CompressionSettings { Target = TargetCpu.X64Vnni, CalibrationInputs = [] };

        var result = ModelCompressor.Compress(original, Recipe.Parse(recipeName), settings);

        if (recipeName != "huffman")
            Assert.Contains("72 Constant nodes hoisted to initializers, 6 ConstantOfShape folded, 17 no-op Casts removed", Assert.Single(result.Warnings, w => w.Code == "MB2001").Message);
        Assert.Equal(new QuantizedExportCleanup(72, 6, 17), result.Cleanup);
        var graph = result.Model.Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Constant" or "ConstantOfShape" or "Cast");
        // Never quantized twice: the export's own integers, and no QuantizeLinear added.
        Assert.Equal(original.Graph.Node.Count(n => n.OpType == "QuantizeLinear"), graph.Node.Count(n => n.OpType == "QuantizeLinear"));
        var weightConstants = original.Graph.Node.Where(n => n.OpType == "Constant" && n.Attribute[0].T?.DataType == (int)DataType.Int8).ToList();
        Assert.Equal(6, weightConstants.Count(c => c.Attribute[0].T.Dims.Count > 1));
        foreach (var constant in weightConstants)
            Assert.Equal(TensorData.ReadRawBytes(constant.Attribute[0].T), TensorData.ReadRawBytes(graph.Initializer.Single(t => t.Name == constant.Output[0])));
        if (result.Container is not null)
            Assert.Equal(OnnxModelFile.ToBytes(result.Model), ModelContainer.Decode(result.Container));
        var report = Fp32Reports.Evaluate(OnnxModelFile.ToBytes(result.Model), zoo);
        Assert.Equal(1.0, report.AgreementWith(Fp32Reports.Of(zoo)));
        Assert.Equal(9_328, report.Top1Correct);
    }

    [Fact]
    public void Recipe_none_stores_a_quantized_model_as_it_is()
    {
        var model = CastModel();

        var result = ModelCompressor.Compress(model, Recipe.None);

        Assert.Equal(OnnxModelFile.ToBytes(model), OnnxModelFile.ToBytes(result.Model));
    }

    private static float[] Run(ModelProto model, Dictionary<string, InputTensor> input)
    {
        using var session = new InferenceSession(OnnxModelFile.ToBytes(model));
        return OrtRunner.Run(session, input).Values.Single().Data;
    }
}
