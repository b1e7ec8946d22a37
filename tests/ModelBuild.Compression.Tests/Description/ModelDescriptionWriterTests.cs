using ModelBuild.Compression.Description;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Description;

public sealed class ModelDescriptionWriterTests
{
    [Fact]
    public void Writes_the_records_of_internals_md_in_order()
    {
        var text = ModelDescriptionWriter.Format(new ModelDescription("int8-dynamic", 26454, 9012, TestModels.ConvClassifier()));

        Assert.Equal(
            "modelbuild-description\t1\n" +
            "recipe\tint8-dynamic\n" +
            "original-bytes\t26454\n" +
            "stored-bytes\t9012\n" +
            "opset\t13\n" +
            "input\timage\tfloat\tN,1,8,8\n" +
            "output\tscores\tfloat\tN,4\n",
            text);
    }

    [Fact]
    public void A_folded_qat_export_gets_its_record_before_the_opset_with_tabs_in_the_text_made_spaces()
    {
        var text = ModelDescriptionWriter.Format(new ModelDescription("none", 1000, 300, TestModels.ConvClassifier())
        {
            QuantizationAwareTraining = "6 weights folded\tinto int8",
        });

        Assert.Contains("stored-bytes\t300\nquantization-aware-training\t6 weights folded into int8\nopset\t13\n", text);
    }

    [Fact]
    public void Lists_only_real_inputs_of_an_IR3_model()
    {
        var lines = ModelDescriptionWriter.Format(new ModelDescription("fp16", 1, 1, TestModels.Ir3Model())).Split('\n');

        Assert.Equal(["input\tInput3\tfloat\t1,1,8,8"], lines.Where(l => l.StartsWith("input", StringComparison.Ordinal)));
        Assert.Contains("opset\t8", lines);
    }

    [Fact]
    public void Uses_lower_case_ONNX_type_names_for_every_input_in_graph_order()
    {
        var lines = ModelDescriptionWriter.Format(new ModelDescription("none", 1, 1, TestModels.MultiInputModel())).Split('\n');

        Assert.Equal(
            ["input\tvalues\tfloat\tN,4", "input\toffsets\tint64\tN,4", "input\tpixels\tuint8\tN,4", "input\tmask\tbool\tN,4",
             "output\tselected\tfloat\tN,4", "output\tcount\tint64\tN"],
            lines.Where(l => l.StartsWith("input", StringComparison.Ordinal) || l.StartsWith("output", StringComparison.Ordinal)));
    }

    [Fact]
    public void Scalar_is_an_empty_field_unknown_rank_a_star_and_an_unnamed_dimension_a_question_mark()
    {
        var model = TestModels.MultiInputModel();
        var graph = model.Graph;
        graph.Output.Clear();
        graph.Output.Add(OnnxModelBuilder.ValueInfo("selected", DataType.Float));
        graph.Output.Add(new ValueInfoProto { Name = "count", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Int64 } } });
        var values = graph.Input[0].Type.TensorType.Shape.Dim[0];
        values.ClearValue();

        var lines = ModelDescriptionWriter.Format(new ModelDescription("none", 1, 1, model)).Split('\n');

        Assert.Contains("input\tvalues\tfloat\t?,4", lines);
        Assert.Contains("output\tselected\tfloat\t", lines);
        Assert.Contains("output\tcount\tint64\t*", lines);
    }

    [Fact]
    public void Is_UTF8_without_a_byte_order_mark()
    {
        Assert.Empty(ModelDescriptionWriter.Encoding.GetPreamble());
    }
}
