using Google.Protobuf;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.SecondOrder;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.SecondOrder;

/// <summary>
/// The layer input statistics checked against ONNX Runtime itself: a weight change's output error computed from H
/// (<see cref="LayerOutputError"/>) equals the one measured on the Conv's outputs, for paddings, strides, dilations,
/// groups and auto_pad, so the im2col columns are the ones the Conv multiplies.
/// </summary>
public sealed class LayerStatisticsTests
{
    public static TheoryData<string, long[], long[], long[], long> Geometries() => new()
    {
        { "NOTSET", [1, 1, 1, 1], [1, 1], [1, 1], 1 },
        { "NOTSET", [0, 2, 1, 0], [2, 1], [1, 2], 2 },
        { "SAME_UPPER", [], [2, 2], [1, 1], 1 },
        { "SAME_LOWER", [], [2, 2], [1, 1], 2 },
        { "VALID", [], [1, 2], [1, 1], 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Output_error_from_the_statistics_equals_the_one_ONNX_Runtime_measures(string autoPad, long[] pads, long[] strides, long[] dilations, long groups)
    {
        var random = new Random(3);
        var attributes = new List<AttributeProto> { OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("strides", strides), OnnxAttributes.Ints("dilations", dilations), OnnxAttributes.Int("group", groups) };
        if (pads.Length > 0) attributes.Add(OnnxAttributes.Ints("pads", pads));
        if (autoPad != "NOTSET") attributes.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(autoPad) });
        var model = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, 1, 4, 9, 8)
            .Output("y", DataType.Float)
            .Initializer(OnnxModelBuilder.RandomFloats(random, "w", [6, 4 / groups, 3, 3]))
            .Node("Conv", ["x", "w"], ["y"], [.. attributes])
            .Build();
        var inputs = Enumerable.Range(1, 5).Select(seed => RandomInputs.For(model, seed: seed)["x"]).Select(i => new ImageTensor((float[])i.Data, i.Shape)).ToList();
        var layer = Assert.Single(LinearLayers.Find(model.Graph));
        var statistics = LayerStatisticsCollector.Collect(model, [layer], inputs, "test", null).ByWeight["w"];

        var before = layer.ReadMatrix(model.Graph.Initializer[0]);
        var after = before.Select(v => v + ((random.NextDouble() - 0.5) * 0.2)).ToArray();
        var changed = model.Clone();
        changed.Graph.Initializer[0] = layer.WriteMatrix(model.Graph.Initializer[0], after);
        after = layer.ReadMatrix(changed.Graph.Initializer[0]);
        double noise = 0, signal = 0;
        foreach (var input in inputs)
        {
            var feed = new Dictionary<string, InputTensor> { ["x"] = new(input.Values, input.Shape) };
            var y = OrtRunner.Run(OnnxModelFile.ToBytes(model), feed)["y"].Data;
            var y2 = OrtRunner.Run(OnnxModelFile.ToBytes(changed), feed)["y"].Data;
            noise += y.Zip(y2, (a, b) => (double)(a - b) * (a - b)).Sum();
            signal += y.Sum(a => (double)a * a);
        }

        var fromStatistics = LayerOutputError.Relative(statistics, before, after);
        Assert.InRange(fromStatistics, (noise / signal) * 0.999, (noise / signal) * 1.001);
    }
}
