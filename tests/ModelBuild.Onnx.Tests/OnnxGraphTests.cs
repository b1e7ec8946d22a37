using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Onnx.Tests;

public class OnnxGraphTests
{
    [Fact]
    public void Real_inputs_leave_out_the_initializers_an_ir3_model_lists_as_inputs()
    {
        var model = TestModels.Ir3Model();

        Assert.Equal(6, model.Graph.Input.Count);
        Assert.Equal(["Input3"], OnnxGraph.RealInputs(model.Graph).Select(i => i.Name));
    }

    [Fact]
    public void Graph_names_reserve_what_they_hand_out()
    {
        var names = new GraphNames(TestModels.MatMulModel().Graph);

        Assert.Equal("mm1_1", names.Next("mm1"));
        Assert.Equal("mm1_2", names.Next("mm1"));
        Assert.Equal("fresh", names.Next("fresh"));
        Assert.Equal("fresh_1", names.Next("fresh"));
    }

    [Fact]
    public void Short_names_are_c_identifiers_shortest_first_and_skip_names_in_use()
    {
        var graph = new GraphProto { Node = { new NodeProto { Name = "b", Input = { "a" }, Output = { "aa" } } } };
        var names = new GraphNames(graph);

        var handedOut = Enumerable.Range(0, 60).Select(_ => names.NextShort()).ToList();

        Assert.Equal(handedOut.Count, handedOut.Distinct().Count());
        Assert.All(handedOut, name => Assert.Matches("^[A-Za-z][A-Za-z0-9_]*$", name));
        // 52 one-letter names less the two in use, then two characters, skipping "aa".
        Assert.Equal(["c", "d"], handedOut.Take(2));
        Assert.Equal(["Y", "Z", "ab", "ac"], handedOut.Skip(48).Take(4));
        Assert.NotEqual("ab", names.Next("ab"));
    }

    [Fact]
    public void Initializer_inputs_leave_an_ir4_model_and_stay_in_an_ir3_one()
    {
        var model = TestModels.Ir3Model();
        var expected = OrtRunner.Run(OnnxModelFile.ToBytes(model), RandomInputs.For(model, seed: 3));

        Assert.Equal(0, OnnxGraph.RemoveInitializerInputs(model));
        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(model);
        Assert.Equal(5, OnnxGraph.RemoveInitializerInputs(model));

        Assert.Equal(["Input3"], model.Graph.Input.Select(i => i.Name));
        Assert.Equal(5, model.Graph.Initializer.Count);
        // The weights are constants now, which ONNX Runtime may fold: the float sums may differ in the last bit.
        OutputAssert.Same(expected, OrtRunner.Run(OnnxModelFile.ToBytes(model), RandomInputs.For(model, seed: 3)), tolerance: 1e-6f);
    }

    [Fact]
    public void Exposed_values_become_outputs_once_and_onnx_runtime_returns_them()
    {
        var model = TestModels.MatMulModel();
        var inner = model.Graph.Node[0].Output[0];
        var declared = model.Graph.Output[0].Name;

        OnnxGraph.ExposeAsOutputs(model.Graph, [inner, inner, declared, ""]);

        Assert.Equal([declared, inner], model.Graph.Output.Select(o => o.Name));
        var outputs = OrtRunner.Run(OnnxModelFile.ToBytes(model), RandomInputs.For(model, dynamicSize: 2));
        Assert.Contains(inner, outputs.Keys);
    }

    [Fact]
    public void Unique_name_avoids_values_nodes_and_initializers()
    {
        var graph = TestModels.MatMulModel().Graph;

        Assert.Equal("fresh", OnnxGraph.UniqueName(graph, "fresh"));
        Assert.Equal("mm1_1", OnnxGraph.UniqueName(graph, "mm1"));
        Assert.Equal("dense1.weight_1", OnnxGraph.UniqueName(graph, "dense1.weight"));
        Assert.Equal("matmul_0_1", OnnxGraph.UniqueName(graph, graph.Node[0].Name));
        graph.Initializer.Add(TensorData.FromFloats("mm1_1", [1], [0f]));
        Assert.Equal("mm1_2", OnnxGraph.UniqueName(graph, "mm1"));
    }

    [Fact]
    public void Unique_name_looks_inside_subgraphs()
    {
        var graph = TestModels.MatMulModel().Graph;
        var branch = new GraphProto { Name = "branch" };
        branch.Node.Add(new NodeProto { OpType = "Identity", Input = { "output" }, Output = { "inner_value" } });
        graph.Node.Add(new NodeProto
        {
            OpType = "If",
            Attribute = { new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch } },
        });

        Assert.Equal("inner_value_1", OnnxGraph.UniqueName(graph, "inner_value"));
    }

    [Theory]
    [InlineData("", 13)]
    [InlineData("ai.onnx", 13)]
    [InlineData("com.microsoft", 1)]
    [InlineData("ai.onnx.ml", 0)]
    public void Opset_version_treats_empty_and_ai_onnx_as_the_default_domain(string domain, long expected)
    {
        var model = TestModels.ConvClassifier();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });

        Assert.Equal(expected, OnnxGraph.OpsetVersion(model, domain));
    }

    [Fact]
    public void Opset_version_finds_an_import_spelled_ai_onnx()
    {
        var model = TestModels.ConvClassifier();
        model.OpsetImport[0].Domain = "ai.onnx";

        Assert.Equal(13, OnnxGraph.OpsetVersion(model));
    }

    [Fact]
    public void Ir3_is_raised_to_ir4_and_newer_is_left_alone()
    {
        var ir3 = TestModels.Ir3Model();
        var ir8 = TestModels.MatMulModel();

        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(ir3);
        OnnxGraph.EnsureIrAllowsInitializersWithoutInputs(ir8);

        Assert.Equal(4, ir3.IrVersion);
        Assert.Equal(8, ir8.IrVersion);
    }

    [Fact]
    public void An_ir3_model_with_a_hoisted_constant_and_no_matching_input_runs()
    {
        var model = TestModels.Ir3Model();
        var expected = OrtRunner.Run(OnnxModelFile.ToBytes(model), RandomInputs.For(model, seed: 2));
        // Replace the Reshape shape initializer (and its graph input) with a Constant node, then hoist it back.
        var shape = model.Graph.Initializer.Single(t => t.Name == "Shape_Const");
        model.Graph.Initializer.Remove(shape);
        model.Graph.Input.Remove(model.Graph.Input.Single(i => i.Name == "Shape_Const"));
        model.Graph.Node.Insert(0, new NodeProto
        {
            OpType = "Constant",
            Output = { "Shape_Const" },
            Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = shape } },
        });

        Assert.Equal(1, OnnxGraph.HoistConstants(model));

        Assert.Equal(4, model.IrVersion);
        var reparsed = OnnxModelFile.Parse(OnnxModelFile.ToBytes(model), "ir3-hoisted.onnx");
        // In IR 3 every initializer is an overridable input, so ONNX Runtime cannot fold or fuse around it; once the
        // shape is a true constant it can, and the float sums may differ in the last bit.
        OutputAssert.Same(expected, OrtRunner.Run(OnnxModelFile.ToBytes(reparsed), RandomInputs.For(reparsed, seed: 2)), tolerance: 1e-6f);
    }

    [Fact]
    public void String_constants_stay_nodes()
    {
        var text = new TensorProto { Name = "label", DataType = (int)DataType.String, StringData = { Google.Protobuf.ByteString.CopyFromUtf8("cat") } };
        var graph = new GraphProto();
        graph.Node.Add(new NodeProto
        {
            OpType = "Constant",
            Output = { "label" },
            Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = text } },
        });

        Assert.Equal(0, OnnxGraph.HoistConstants(graph));
        Assert.Single(graph.Node);
        Assert.Empty(graph.Initializer);
    }

    [Fact]
    public void Value_floats_and_value_int_become_typed_initializers()
    {
        var graph = new GraphProto();
        graph.Node.Add(new NodeProto { OpType = "Constant", Output = { "fs" }, Attribute = { OnnxAttributes.Floats("value_floats", 1.5f, -2f) } });
        graph.Node.Add(new NodeProto { OpType = "Constant", Output = { "i" }, Attribute = { OnnxAttributes.Int("value_int", 9) } });

        Assert.Equal(2, OnnxGraph.HoistConstants(graph));

        var floats = graph.Initializer.Single(t => t.Name == "fs");
        var scalar = graph.Initializer.Single(t => t.Name == "i");
        Assert.Equal([2L], floats.Dims);
        Assert.Equal([1.5f, -2f], TensorData.ReadFloats(floats));
        Assert.Empty(scalar.Dims);
        Assert.Equal([9L], TensorData.ReadInt64s(scalar));
    }
}
