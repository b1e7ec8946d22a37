using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Onnx.Tests;

public class ModelSignatureTests
{
    [Fact]
    public void Dim_params_numbers_and_element_types_come_through()
    {
        var model = TestModels.MultiInputModel();

        var inputs = ModelSignature.Inputs(model);
        var outputs = ModelSignature.Outputs(model);

        Assert.Equal(["values", "offsets", "pixels", "mask"], inputs.Select(i => i.Name));
        Assert.Equal(["float", "int64", "uint8", "bool"], inputs.Select(i => i.ElementType));
        Assert.All(inputs, i => Assert.Equal(["N", "4"], i.Dims!));
        Assert.Equal(["selected", "count"], outputs.Select(o => o.Name));
        Assert.Equal(["N"], outputs[1].Dims!);
        Assert.Equal("int64", outputs[1].ElementType);
    }

    [Fact]
    public void Unknown_dimensions_scalars_and_missing_shapes_are_told_apart()
    {
        var model = TestModels.MatMulModel();
        var unknown = OnnxModelBuilder.ValueInfo("unknown_dim", DataType.Float, 2);
        unknown.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension());
        var scalar = OnnxModelBuilder.ValueInfo("scalar", DataType.Double);
        var noShape = new ValueInfoProto
        {
            Name = "no_shape",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float16 } },
        };
        model.Graph.Input.Add(unknown);
        model.Graph.Input.Add(scalar);
        model.Graph.Input.Add(noShape);

        var inputs = ModelSignature.Inputs(model).ToDictionary(i => i.Name);

        Assert.Equal(["2", "?"], inputs["unknown_dim"].Dims!);
        Assert.Empty(inputs["scalar"].Dims!);
        Assert.Equal("double", inputs["scalar"].ElementType);
        Assert.Null(inputs["no_shape"].Dims);
        Assert.Equal("float16", inputs["no_shape"].ElementType);
    }

    [Fact]
    public void A_sequence_output_is_named_by_its_kind()
    {
        var value = new ValueInfoProto
        {
            Name = "items",
            Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = new TypeProto() } },
        };

        Assert.Equal(new TensorSignature("items", "sequence", null), ModelSignature.Describe(value));
    }

    [Fact]
    public void Ir3_signature_lists_only_the_real_input()
    {
        var input = Assert.Single(ModelSignature.Inputs(TestModels.Ir3Model()));

        Assert.Equal("Input3", input.Name);
        Assert.Equal(["1", "1", "8", "8"], input.Dims!);
    }
}
