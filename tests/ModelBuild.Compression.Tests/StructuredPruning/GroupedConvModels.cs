using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using static ModelBuild.TestSupport.OnnxModelBuilder;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.StructuredPruning;

/// <summary>Small float models with a grouped (not depthwise) Conv, for structured pruning.</summary>
internal static class GroupedConvModels
{
    /// <summary>
    /// Conv a (8, 3x3) + Relu, grouped Conv g (8 filters, group <paramref name="groups"/>, 3x3) + Relu, Conv c (4, 1x1)
    /// + GlobalAveragePool + Flatten as the output: <c>x</c> float[N,3,8,8] -> <c>y</c> float[N,4]. g reads a's
    /// channels in slices of 8 / groups. When <paramref name="duplicateFilters"/>, in every slice a's last filter is
    /// twice its first (bias too): after Relu the slice's last channel is exactly twice its first, in every slice.
    /// </summary>
    public static ModelProto Consumer(int groups, bool duplicateFilters = false, int seed = 21)
    {
        var random = new Random(seed);
        var perSlice = 8 / groups;
        var a = RandomFloats(random, "a.weight", [8, 3, 3, 3]);
        var aBias = RandomFloats(random, "a.bias", [8], 0.1f);
        if (duplicateFilters)
        {
            a = Doubled(a, groups);
            aBias = Doubled(aBias, groups);
        }
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 3, 8, 8)
            .Output("y", DataType.Float, "N", 4)
            .Initializer(a)
            .Initializer(aBias)
            .Initializer(RandomFloats(random, "g.weight", [8, perSlice, 3, 3], 0.3f))
            .Initializer(RandomFloats(random, "g.bias", [8], 0.1f))
            .Initializer(RandomFloats(random, "c.weight", [4, 8, 1, 1]))
            .Node("Conv", ["x", "a.weight", "a.bias"], ["a_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["a_out"], ["r"])
            .Node("Conv", ["r", "g.weight", "g.bias"], ["g_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1), OnnxAttributes.Int("group", groups))
            .Node("Relu", ["g_out"], ["s"]);
        return Head(builder, "s");
    }

    /// <summary>
    /// Grouped Conv g (8 filters, group 2, 3x3) on the input + Relu, Conv c (4, 1x1) + GlobalAveragePool + Flatten:
    /// <c>x</c> float[N,4,8,8] -> <c>y</c> float[N,4]. When <paramref name="duplicateFilters"/>, g's filters 3 and 7
    /// are twice its filters 0 and 4 (bias too): the last channel of each output slice is twice the slice's first.
    /// </summary>
    public static ModelProto Producer(bool duplicateFilters = false, int seed = 22)
    {
        var random = new Random(seed);
        var g = RandomFloats(random, "g.weight", [8, 2, 3, 3]);
        var gBias = RandomFloats(random, "g.bias", [8], 0.1f);
        if (duplicateFilters)
        {
            g = Doubled(g, 2);
            gBias = Doubled(gBias, 2);
        }
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 4, 8, 8)
            .Output("y", DataType.Float, "N", 4)
            .Initializer(g)
            .Initializer(gBias)
            .Initializer(RandomFloats(random, "c.weight", [4, 8, 1, 1]))
            .Node("Conv", ["x", "g.weight", "g.bias"], ["g_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1), OnnxAttributes.Int("group", 2))
            .Node("Relu", ["g_out"], ["r"]);
        return Head(builder, "r");
    }

    /// <summary>
    /// A residual block around a grouped Conv: Conv a (8, 3x3) + Relu = r; grouped Conv g (8, group 2, 3x3) reads r;
    /// Add(r, g) + Relu; Conv c (2, 1x1) + GlobalAveragePool + Flatten: <c>x</c> float[N,3,6,6] -> <c>y</c> float[N,2].
    /// a's and g's filters are one channel set, read in two slices by g. When <paramref name="zeroFilters"/>, a's and
    /// g's filters 3 and 7 are zero (no biases): channels 3 and 7 of the sum are exactly zero.
    /// </summary>
    public static ModelProto Residual(bool zeroFilters = false, int seed = 23)
    {
        var random = new Random(seed);
        int[] zeroed = zeroFilters ? [3, 7] : [];
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 3, 6, 6)
            .Output("y", DataType.Float, "N", 2)
            .Initializer(ChannelModels.Zeroed(RandomFloats(random, "a.weight", [8, 3, 3, 3]), zeroed))
            .Initializer(ChannelModels.Zeroed(RandomFloats(random, "g.weight", [8, 4, 3, 3], 0.3f), zeroed))
            .Initializer(RandomFloats(random, "c.weight", [2, 8, 1, 1]))
            .Node("Conv", ["x", "a.weight"], ["a_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["a_out"], ["r"])
            .Node("Conv", ["r", "g.weight"], ["g_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1), OnnxAttributes.Int("group", 2))
            .Node("Add", ["r", "g_out"], ["sum"])
            .Node("Relu", ["sum"], ["block"]);
        return Head(builder, "block");
    }

    /// <summary>
    /// Conv a (4, 3x3) + Relu, a grouped Conv d with one input channel per group and two filters each (8 filters,
    /// group 4), Relu, Conv c (2, 1x1) + GlobalAveragePool + Flatten: <c>x</c> float[N,3,6,6] -> <c>y</c> float[N,2].
    /// </summary>
    public static ModelProto Multiplier(int seed = 24)
    {
        var random = new Random(seed);
        var builder = new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 3, 6, 6)
            .Output("y", DataType.Float, "N", 2)
            .Initializer(RandomFloats(random, "a.weight", [4, 3, 3, 3]))
            .Initializer(RandomFloats(random, "d.weight", [8, 1, 3, 3]))
            .Initializer(RandomFloats(random, "c.weight", [2, 8, 1, 1]))
            .Node("Conv", ["x", "a.weight"], ["a_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["a_out"], ["r"])
            .Node("Conv", ["r", "d.weight"], ["d_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1), OnnxAttributes.Int("group", 4))
            .Node("Relu", ["d_out"], ["s"]);
        return Head(builder, "s");
    }

    // Conv c (1x1) on `input`, GlobalAveragePool and Flatten as the output y.
    private static ModelProto Head(OnnxModelBuilder builder, string input) => builder
        .Node("Conv", [input, "c.weight"], ["c_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
        .Node("GlobalAveragePool", ["c_out"], ["pooled"])
        .Node("Flatten", ["pooled"], ["y"], OnnxAttributes.Int("axis", 1))
        .Build();

    // In each of `slices` equal runs of filters (axis 0), the last set to twice the first.
    private static TensorProto Doubled(TensorProto tensor, int slices)
    {
        var values = TensorData.ReadFloats(tensor);
        var filters = (int)tensor.Dims[0];
        var perFilter = values.Length / filters;
        var perSlice = filters / slices;
        for (var s = 0; s < slices; s++)
        {
            var (from, to) = (s * perSlice, ((s + 1) * perSlice) - 1);
            for (var i = 0; i < perFilter; i++) values[(to * perFilter) + i] = 2 * values[(from * perFilter) + i];
        }
        return TensorData.FromFloats(tensor.Name, tensor.Dims.ToArray(), values);
    }
}
