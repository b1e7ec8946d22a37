using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Quantization;

public sealed class QuantizedModelDetectorTests
{
    [Fact]
    public void A_QDQ_model_is_quantized()
    {
        Assert.Equal(["DequantizeLinear", "QuantizeLinear"], QuantizedModelDetector.QuantizedOperatorTypes(ExtraModels.QuantizeDequantize()));
    }

    [Fact]
    public void Float_models_are_not_quantized()
    {
        foreach (var (name, build) in TestModels.All)
            Assert.False(QuantizedModelDetector.IsQuantized(build()), $"{name} was taken for quantized");
    }

    [Fact]
    public void Our_own_int8_dynamic_output_is_recognized_so_it_is_never_quantized_twice()
    {
        var compressed = ModelCompressor.Compress(TestModels.MatMulModel(), Recipe.Int8Dynamic).Model;

        Assert.Contains("DynamicQuantizeMatMul", QuantizedModelDetector.QuantizedOperatorTypes(compressed));
    }

    [ZooFact]
    public void The_zoo_int8_MobileNet_is_quantized()
    {
        var model = OnnxModelFile.Load(Zoo.PathOf("imagenet", "mobilenetv2-12-int8.onnx"));

        Assert.Contains("QLinearConv", QuantizedModelDetector.QuantizedOperatorTypes(model));
    }
}
