using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using static ModelBuild.TestSupport.OnnxModelBuilder;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.StructuredPruning;

/// <summary>Small float models with known channel groups, for structured pruning.</summary>
internal static class ChannelModels
{
    /// <summary>
    /// Conv c1 (8 filters) + Relu + MaxPool, Conv c2 (8) + Relu + Flatten, Gemm g1 (16) + Relu, Gemm g2 (4, the
    /// output): <c>image</c> float[N,3,8,8] -> <c>scores</c> float[N,4]. When <paramref name="duplicateFilter"/>, c1's
    /// filter 5 is twice filter 1 (bias too): after Relu and MaxPool its channel is exactly twice channel 1's.
    /// </summary>
    public static ModelProto Chain(bool duplicateFilter = false, int seed = 11)
    {
        var random = new Random(seed);
        var c1 = RandomFloats(random, "c1.weight", [8, 3, 3, 3]);
        var c1Bias = RandomFloats(random, "c1.bias", [8], 0.1f);
        if (duplicateFilter)
        {
            c1 = Scaled(c1, from: 1, to: 5, perFilter: 27);
            c1Bias = Scaled(c1Bias, from: 1, to: 5, perFilter: 1);
        }
        return new OnnxModelBuilder(opset: 13)
            .Input("image", DataType.Float, "N", 3, 8, 8)
            .Output("scores", DataType.Float, "N", 4)
            .Initializer(c1)
            .Initializer(c1Bias)
            .Initializer(RandomFloats(random, "c2.weight", [8, 8, 3, 3], 0.3f))
            .Initializer(RandomFloats(random, "c2.bias", [8], 0.1f))
            .Initializer(RandomFloats(random, "g1.weight", [16, 128], 0.2f))
            .Initializer(RandomFloats(random, "g1.bias", [16], 0.1f))
            .Initializer(RandomFloats(random, "g2.weight", [4, 16], 0.3f))
            .Initializer(RandomFloats(random, "g2.bias", [4], 0.1f))
            .Node("Conv", ["image", "c1.weight", "c1.bias"], ["c1_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c1_out"], ["r1"])
            .Node("MaxPool", ["r1"], ["p1"], OnnxAttributes.Ints("kernel_shape", 2, 2), OnnxAttributes.Ints("strides", 2, 2))
            .Node("Conv", ["p1", "c2.weight", "c2.bias"], ["c2_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c2_out"], ["r2"])
            .Node("Flatten", ["r2"], ["flat"], OnnxAttributes.Int("axis", 1))
            .Node("Gemm", ["flat", "g1.weight", "g1.bias"], ["g1_out"], OnnxAttributes.Int("transB", 1))
            .Node("Relu", ["g1_out"], ["r3"])
            .Node("Gemm", ["r3", "g2.weight", "g2.bias"], ["scores"], OnnxAttributes.Int("transB", 1))
            .Build();
    }

    /// <summary>
    /// A residual block: Conv a (4) + Relu = r; Conv b (4) reads r; Add(r, b) + Relu; Conv c (2) + GlobalAveragePool
    /// + Flatten as the output: a and b share one channel set, which b also reads. <c>x</c> float[N,2,6,6] -> <c>y</c> float[N,2].
    /// </summary>
    public static ModelProto Residual(int seed = 12)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 2, 6, 6)
            .Output("y", DataType.Float, "N", 2)
            .Initializer(RandomFloats(random, "a.weight", [4, 2, 3, 3]))
            .Initializer(RandomFloats(random, "b.weight", [4, 4, 3, 3], 0.3f))
            .Initializer(RandomFloats(random, "c.weight", [2, 4, 1, 1]))
            .Node("Conv", ["x", "a.weight"], ["a_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["a_out"], ["r"])
            .Node("Conv", ["r", "b.weight"], ["b_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Add", ["r", "b_out"], ["sum"])
            .Node("Relu", ["sum"], ["block"])
            .Node("Conv", ["block", "c.weight"], ["c_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("GlobalAveragePool", ["c_out"], ["pooled"])
            .Node("Flatten", ["pooled"], ["y"], OnnxAttributes.Int("axis", 1))
            .Build();
    }

    /// <summary>
    /// Two Convs p, q (4 filters each, 1x1, no bias) concatenated along <paramref name="axis"/>, then a Conv r (3, 1x1):
    /// <c>x</c> float[N,2,6,6] -> <c>y</c>. When <paramref name="zeroFilters"/>, p's filter 1 and q's filter 2 are zero:
    /// channels 1 and 6 of the concatenation are exactly zero.
    /// </summary>
    public static ModelProto Concatenated(int axis = 1, bool zeroFilters = false, int seed = 13)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 2, 6, 6)
            .Output("y", DataType.Float, axis == 1 ? new object[] { "N", 3, 6, 6 } : new object[] { "N", 3, 12, 6 })
            .Initializer(Zeroed(RandomFloats(random, "p.weight", [4, 2, 1, 1]), zeroFilters ? [1] : []))
            .Initializer(Zeroed(RandomFloats(random, "q.weight", [4, 2, 1, 1]), zeroFilters ? [2] : []))
            .Initializer(RandomFloats(random, "r.weight", axis == 1 ? [3, 8, 1, 1] : [3, 4, 1, 1]))
            .Node("Conv", ["x", "p.weight"], ["p_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Conv", ["x", "q.weight"], ["q_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Concat", ["p_out", "q_out"], ["both"], OnnxAttributes.Int("axis", axis))
            .Node("Conv", ["both", "r.weight"], ["y"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Build();
    }

    /// <summary>
    /// A concatenation as a residual branch: Convs p, q (4 each, 1x1) concatenated (axis -3) = cat; Conv r (8, 3x3)
    /// reads cat; Add(cat, r) + Relu; Conv s (3, 1x1): <c>x</c> float[N,2,6,6] -> <c>y</c> float[N,3,6,6]. r's filters
    /// 0-3 are tied to p's, 4-7 to q's. When <paramref name="zeroFilters"/>, p's filter 1, q's filter 2 and r's filters
    /// 1 and 6 are zero: channels 1 and 6 of the sum are exactly zero.
    /// </summary>
    public static ModelProto ConcatenatedResidual(bool zeroFilters = false, int seed = 14)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 2, 6, 6)
            .Output("y", DataType.Float, "N", 3, 6, 6)
            .Initializer(Zeroed(RandomFloats(random, "p.weight", [4, 2, 1, 1]), zeroFilters ? [1] : []))
            .Initializer(Zeroed(RandomFloats(random, "q.weight", [4, 2, 1, 1]), zeroFilters ? [2] : []))
            .Initializer(Zeroed(RandomFloats(random, "r.weight", [8, 8, 3, 3], 0.2f), zeroFilters ? [1, 6] : []))
            .Initializer(RandomFloats(random, "s.weight", [3, 8, 1, 1]))
            .Node("Conv", ["x", "p.weight"], ["p_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Conv", ["x", "q.weight"], ["q_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Concat", ["p_out", "q_out"], ["cat"], OnnxAttributes.Int("axis", -3))
            .Node("Conv", ["cat", "r.weight"], ["r_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Add", ["cat", "r_out"], ["sum"])
            .Node("Relu", ["sum"], ["block"])
            .Node("Conv", ["block", "s.weight"], ["y"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Build();
    }

    /// <summary>
    /// Conv a (8, 3x3) + Relu split on the channel axis into two branches, each a Conv (2, 1x1), added:
    /// <c>x</c> float[N,2,6,6] -> <c>y</c> float[N,2,6,6]. The sizes in <paramref name="opset"/>'s form: before 13 the
    /// <c>split</c> attribute [3, 5], from 13 the sizes input [3, 5], from 18 <c>num_outputs</c> 2 (equal, [4, 4]).
    /// When <paramref name="zeroFilters"/>, a's filters 1 and 6 are zero (no bias): those channels are exactly zero.
    /// </summary>
    public static ModelProto Split(int opset, bool zeroFilters = false, int seed = 15)
    {
        var random = new Random(seed);
        int[] sizes = opset >= 18 ? [4, 4] : [3, 5];
        var builder = new OnnxModelBuilder(opset)
            .Input("x", DataType.Float, "N", 2, 6, 6)
            .Output("y", DataType.Float, "N", 2, 6, 6)
            .Initializer(Zeroed(RandomFloats(random, "a.weight", [8, 2, 3, 3]), zeroFilters ? [1, 6] : []))
            .Initializer(RandomFloats(random, "b.weight", [2, sizes[0], 1, 1]))
            .Initializer(RandomFloats(random, "c.weight", [2, sizes[1], 1, 1]))
            .Node("Conv", ["x", "a.weight"], ["a_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["a_out"], ["r"]);
        builder = opset switch
        {
            < 13 => builder.Node("Split", ["r"], ["left", "right"], OnnxAttributes.Int("axis", 1), OnnxAttributes.Ints("split", 3, 5)),
            < 18 => builder.Initializer(TensorData.FromInt64("sizes", [2], [3, 5])).Node("Split", ["r", "sizes"], ["left", "right"], OnnxAttributes.Int("axis", 1)),
            _ => builder.Node("Split", ["r"], ["left", "right"], OnnxAttributes.Int("axis", 1), OnnxAttributes.Int("num_outputs", 2)),
        };
        return builder
            .Node("Conv", ["left", "b.weight"], ["b_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Conv", ["right", "c.weight"], ["c_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Add", ["b_out", "c_out"], ["y"])
            .Build();
    }

    /// <summary>Random inputs for <paramref name="model"/>'s first input with batch 1, from a fixed seed.</summary>
    public static List<Data.ImageTensor> Inputs(ModelProto model, int count, int seed = 5)
    {
        var random = new Random(seed);
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam.Length > 0 ? 1 : d.DimValue).ToArray();
        var size = (int)dims.Aggregate(1L, (a, b) => a * b);
        return Enumerable.Range(0, count).Select(_ => new Data.ImageTensor(Enumerable.Range(0, size).Select(_ => random.NextSingle()).ToArray(), dims)).ToList();
    }

    /// <summary>The weight initializer of the node named <paramref name="node"/>.</summary>
    public static TensorProto Weight(ModelProto model, string node) =>
        model.Graph.Initializer.Single(t => t.Name == model.Graph.Node.Single(n => n.Name == node).Input[1]);

    /// <summary>The tensor with the given filters (axis 0) set to zero.</summary>
    public static TensorProto Zeroed(TensorProto tensor, int[] filters)
    {
        var values = TensorData.ReadFloats(tensor);
        var perFilter = values.Length / (int)tensor.Dims[0];
        foreach (var filter in filters) Array.Clear(values, filter * perFilter, perFilter);
        return TensorData.FromFloats(tensor.Name, tensor.Dims.ToArray(), values);
    }

    private static TensorProto Scaled(TensorProto tensor, int from, int to, int perFilter)
    {
        var values = TensorData.ReadFloats(tensor);
        for (var i = 0; i < perFilter; i++) values[(to * perFilter) + i] = 2 * values[(from * perFilter) + i];
        return TensorData.FromFloats(tensor.Name, tensor.Dims.ToArray(), values);
    }
}
