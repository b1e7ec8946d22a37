using ModelBuild.Compression.Inspection;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Inspection;

public sealed class ModelInspectorTests
{
    public static TheoryData<string> InCodeModels() => new(TestModels.All.Keys);

    [Theory]
    [MemberData(nameof(InCodeModels))]
    public void Totals_match_counts_taken_straight_from_the_protobuf(string modelName)
    {
        var model = TestModels.All[modelName]();

        var inspection = ModelInspector.Inspect(model);

        Assert.Equal(ModelFacts.WeightElements(model), inspection.WeightElements);
        Assert.Equal(ModelFacts.WeightBytes(model), inspection.WeightBytes);
        Assert.Equal(model.IrVersion, inspection.IrVersion);
        Assert.False(inspection.IsQuantized);
    }

    [Fact]
    public void Weights_are_attributed_to_the_operator_that_reads_them()
    {
        var inspection = ModelInspector.Inspect(TestModels.ConvClassifier());

        // conv.weight [4,1,3,3] + conv.bias [4]; fc.weight [64,4] + fc.bias [4]; 4 bytes each.
        Assert.Equal(
            [new OperatorWeights("Gemm", 2, 260, 1040), new OperatorWeights("Conv", 2, 40, 160)],
            inspection.WeightsByOperator);
    }

    [Fact]
    public void Signature_and_opsets_are_reported()
    {
        var inspection = ModelInspector.Inspect(TestModels.Ir3Model());

        var input = Assert.Single(inspection.Inputs);
        Assert.Equal(("Input3", "float", "1,1,8,8"), (input.Name, input.ElementType, string.Join(",", input.Dims!)));
        Assert.Equal("Plus_Output", Assert.Single(inspection.Outputs).Name);
        Assert.Equal([new OpsetImport("ai.onnx", 8)], inspection.Opsets);
        Assert.Equal(3, inspection.IrVersion);
    }

    [Fact]
    public void A_QDQ_model_is_reported_as_quantized()
    {
        var inspection = ModelInspector.Inspect(ExtraModels.QuantizeDequantize());

        Assert.True(inspection.IsQuantized);
        Assert.Equal(["DequantizeLinear", "QuantizeLinear"], inspection.QuantizedOperators);
    }

    [ZooFact]
    public void Mnist_has_the_5998_weights_the_zoo_readme_lists()
    {
        var inspection = ModelInspector.Inspect(OnnxModelFile.Load(Zoo.PathOf("mnist", "mnist-8.onnx")));

        Assert.Equal(5998, inspection.WeightElements);
        Assert.Equal([new OpsetImport("ai.onnx", 8)], inspection.Opsets);
    }

    [ZooTheory]
    [MemberData(nameof(ZooModelFiles.All), MemberType = typeof(ZooModelFiles))]
    public void Zoo_totals_match_counts_taken_straight_from_the_protobuf(string folder, string file)
    {
        var model = OnnxModelFile.Load(Zoo.PathOf(folder, file));

        var inspection = ModelInspector.Inspect(model);

        Assert.Equal(ModelFacts.WeightElements(model), inspection.WeightElements);
        Assert.Equal(ModelFacts.WeightBytes(model), inspection.WeightBytes);
        Assert.Equal(file.Contains("int8"), inspection.IsQuantized);
    }
}
