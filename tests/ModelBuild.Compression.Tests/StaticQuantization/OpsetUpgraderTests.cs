using Google.Protobuf;
using ModelBuild.Compression.Opsets;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using static ModelBuild.TestSupport.OnnxAttributes;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary>
/// Each rewrite of the upgrader on a one-node model at the old opset: ONNX Runtime runs the old and the upgraded
/// model on the same seeded input and must give the same outputs. Signed inputs ([-1, 1)) so Clip, Relu-like and
/// Softmax paths all see both signs.
/// </summary>
public sealed class OpsetUpgraderTests
{
    private static ModelProto OneNode(long opset, string opType, long[] inputShape, long[] outputShape, params AttributeProto[] attributes) =>
        new OnnxModelBuilder(opset, irVersion: 6)
            .Input("x", DataType.Float, inputShape.Cast<object>().ToArray())
            .Output("y", DataType.Float, outputShape.Cast<object>().ToArray())
            .Node(opType, ["x"], ["y"], attributes)
            .Build();

    public static TheoryData<string, ModelProto> OldNodes { get; } = new()
    {
        // Softmax before 13 normalizes over everything from axis on; at 13 over that axis only.
        { "Softmax axis 1 of a rank-3 input (opset 11)", OneNode(11, "Softmax", [2, 3, 4], [2, 3, 4], Int("axis", 1)) },
        { "Softmax default axis (opset 9)", OneNode(9, "Softmax", [2, 3, 4], [2, 3, 4]) },
        { "LogSoftmax axis -1 (opset 11)", OneNode(11, "LogSoftmax", [2, 5], [2, 5], Int("axis", -1)) },
        { "Clip with min/max attributes (opset 6)", OneNode(6, "Clip", [2, 8], [2, 8], Float("min", -0.25f), Float("max", 0.5f)) },
        { "Slice with starts/ends/axes attributes (opset 9)", OneNode(9, "Slice", [4, 6], [2, 3], Ints("starts", 1, 2), Ints("ends", 3, 5), Ints("axes", 0, 1)) },
        { "Squeeze with axes attribute (opset 11)", OneNode(11, "Squeeze", [1, 3, 1, 4], [3, 4], Ints("axes", 0, 2)) },
        { "Unsqueeze with axes attribute (opset 11)", OneNode(11, "Unsqueeze", [3, 4], [1, 3, 4], Ints("axes", 0)) },
        { "ReduceSum with axes attribute (opset 11)", OneNode(11, "ReduceSum", [2, 3, 4], [2, 1, 4], Ints("axes", 1)) },
        { "Pad with pads attribute (opset 10)", OneNode(10, "Pad", [2, 3], [4, 6], Ints("pads", 1, 2, 1, 1), Float("value", 0.5f)) },
        { "Dropout at inference (opset 10)", OneNode(10, "Dropout", [2, 3], [2, 3], Float("ratio", 0.3f)) },
    };

    [Theory]
    [MemberData(nameof(OldNodes))]
    public void Upgraded_node_gives_the_same_outputs_in_onnx_runtime(string description, ModelProto model)
    {
        var upgraded = OpsetUpgrader.Upgrade(model);

        Assert.Equal(13, OnnxGraph.OpsetVersion(upgraded));
        Assert.True(upgraded.IrVersion >= 7, $"{description}: IR {upgraded.IrVersion}, expected 7 or more for opset 13");
        var inputs = SignedInputs(model);
        OutputAssert.Same(OrtRunner.Run(model.ToByteArray(), inputs), OrtRunner.Run(upgraded.ToByteArray(), inputs), tolerance: 1e-6f);
    }

    [Fact]
    public void Batch_normalization_loses_its_legacy_spatial_attribute_and_keeps_its_outputs()
    {
        var model = new OnnxModelBuilder(opset: 7, irVersion: 3)
            .Input("x", DataType.Float, 1, 2, 3, 3)
            .Output("y", DataType.Float, 1, 2, 3, 3)
            .Initializer(TensorData.FromFloats("scale", [2], [1.5f, 0.5f]))
            .Initializer(TensorData.FromFloats("bias", [2], [0.1f, -0.2f]))
            .Initializer(TensorData.FromFloats("mean", [2], [0.3f, -0.1f]))
            .Initializer(TensorData.FromFloats("var", [2], [0.8f, 1.2f]))
            .Node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"], Int("spatial", 1), Float("epsilon", 1e-3f))
            .Build();
        foreach (var name in new[] { "scale", "bias", "mean", "var" })
            model.Graph.Input.Add(OnnxModelBuilder.ValueInfo(name, DataType.Float, 2));

        var upgraded = OpsetUpgrader.Upgrade(model);

        Assert.DoesNotContain(upgraded.Graph.Node[0].Attribute, a => a.Name == "spatial");
        var inputs = SignedInputs(model);
        OutputAssert.Same(OrtRunner.Run(model.ToByteArray(), inputs), OrtRunner.Run(upgraded.ToByteArray(), inputs), tolerance: 1e-6f);
    }

    [Fact]
    public void LogSoftmax_over_the_last_axis_of_a_rank_2_input_is_not_rewritten()
    {
        var upgraded = OpsetUpgrader.Upgrade(TestModels.FixedBatchOutputsClassifier());

        Assert.DoesNotContain(upgraded.Graph.Node, node => node.OpType is "Shape" or "Reshape");
        var logSoftmax = upgraded.Graph.Node.Single(node => node.OpType == "LogSoftmax");
        Assert.Equal(-1, logSoftmax.Attribute.Single(a => a.Name == "axis").I);
    }

    [Fact]
    public void A_rewritten_softmax_ignores_a_traced_batch_declared_in_value_info_and_outputs()
    {
        // x [N,3,4] -> Relu -> act (also an output) -> Softmax(axis 1) -> y; both outputs and act's value_info declare
        // the traced batch 128, which ONNX Runtime would fold into the rewrite's Reshape.
        var model = new OnnxModelBuilder(11, irVersion: 6)
            .Input("x", DataType.Float, "N", 3, 4)
            .Output("y", DataType.Float, 128, 3, 4)
            .Output("act", DataType.Float, 128, 3, 4)
            .Node("Relu", ["x"], ["act"])
            .Node("Softmax", ["act"], ["y"], Int("axis", 1))
            .Build();
        model.Graph.ValueInfo.Add(OnnxModelBuilder.ValueInfo("act", DataType.Float, 128, 3, 4));

        var upgraded = OpsetUpgrader.Upgrade(model);

        Assert.Contains(upgraded.Graph.Node, node => node.OpType == "Reshape");
        foreach (var batch in new[] { 1, 3 })
        {
            var random = new Random(batch);
            var inputs = new Dictionary<string, InputTensor> { ["x"] = new(Enumerable.Range(0, batch * 12).Select(_ => random.NextSingle() - 0.5f).ToArray(), [batch, 3, 4]) };
            OutputAssert.Same(OrtRunner.Run(model.ToByteArray(), inputs), OrtRunner.Run(upgraded.ToByteArray(), inputs), tolerance: 1e-6f);
        }
    }

    [Fact]
    public void Upsample_is_refused_with_the_node_and_operator_named()
    {
        var model = OneNode(9, "Upsample", [1, 1, 2, 2], [1, 1, 4, 4]);
        model.Graph.Node[0].Name = "upsample_1";

        var error = Assert.Throws<OpsetUpgradeException>(() => OpsetUpgrader.Upgrade(model));

        Assert.Equal("upsample_1", error.NodeName);
        Assert.Equal("Upsample", error.OpType);
        Assert.Contains("MB1020", error.Message);
        Assert.Contains("Resize", error.Message);
    }

    [Fact]
    public void Operator_without_known_changes_is_refused_rather_than_carried_over()
    {
        var model = OneNode(9, "Scan", [2, 3], [2, 3]);
        model.Graph.Node[0].Name = "scan_node";

        var error = Assert.Throws<OpsetUpgradeException>(() => OpsetUpgrader.Upgrade(model));

        Assert.Equal("scan_node", error.NodeName);
        Assert.Contains("does not know this operator", error.Message);
    }

    [Fact]
    public void Batch_normalization_with_spatial_zero_is_refused()
    {
        var model = OneNode(7, "BatchNormalization", [1, 2, 2, 2], [1, 2, 2, 2], Int("spatial", 0));

        var error = Assert.Throws<OpsetUpgradeException>(() => OpsetUpgrader.Upgrade(model));

        Assert.Contains("spatial=0", error.Message);
    }

    [Fact]
    public void Model_at_the_target_comes_back_unchanged()
    {
        var model = TestModels.ConvClassifier();

        var upgraded = OpsetUpgrader.Upgrade(model);

        Assert.Equal(model.ToByteArray(), upgraded.ToByteArray());
    }

    public static TheoryData<string, string> ZooModelsBelow13 { get; } = new()
    {
        { "mnist", "mnist-8.onnx" },
        { "cifar10", "resnet20.onnx" },
        { "ocr", "ch_PP-OCRv4_rec_infer.onnx" },
        { "ocr", "ch_ppocr_mobile_v2.0_cls_infer.onnx" },
        { "ocr", "ch_PP-OCRv4_det_infer.onnx" },
    };

    [ZooTheory]
    [MemberData(nameof(ZooModelsBelow13))]
    public void Zoo_model_upgraded_to_13_gives_the_same_outputs(string folder, string file)
    {
        var path = Zoo.PathOf(folder, file);
        var model = OnnxModelFile.Load(path);
        var inputs = Support.ZooModelFiles.Inputs(model, file);

        var upgraded = OpsetUpgrader.Upgrade(model);

        Assert.True(OnnxGraph.OpsetVersion(model) < 13);
        Assert.Equal(13, OnnxGraph.OpsetVersion(upgraded));
        OutputAssert.Same(OrtRunner.Run(File.ReadAllBytes(path), inputs), OrtRunner.Run(upgraded.ToByteArray(), inputs), tolerance: 1e-4f);
    }

    private static Dictionary<string, InputTensor> SignedInputs(ModelProto model)
    {
        var inputs = RandomInputs.For(model, seed: 5);
        foreach (var input in inputs.Values)
        {
            var values = (float[])input.Data;
            for (var i = 0; i < values.Length; i++) values[i] = (values[i] * 2) - 1;
        }
        return inputs;
    }
}
