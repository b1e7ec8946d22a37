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

    /// <summary>Two Convs concatenated on the channel axis, then a Conv: <c>x</c> float[N,2,6,6] -> <c>y</c> float[N,3,6,6].</summary>
    public static ModelProto Concatenated(int seed = 13)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 2, 6, 6)
            .Output("y", DataType.Float, "N", 3, 6, 6)
            .Initializer(RandomFloats(random, "p.weight", [4, 2, 1, 1]))
            .Initializer(RandomFloats(random, "q.weight", [4, 2, 1, 1]))
            .Initializer(RandomFloats(random, "r.weight", [3, 8, 1, 1]))
            .Node("Conv", ["x", "p.weight"], ["p_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Conv", ["x", "q.weight"], ["q_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Concat", ["p_out", "q_out"], ["both"], OnnxAttributes.Int("axis", 1))
            .Node("Conv", ["both", "r.weight"], ["y"], OnnxAttributes.Ints("kernel_shape", 1, 1))
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

    private static TensorProto Scaled(TensorProto tensor, int from, int to, int perFilter)
    {
        var values = TensorData.ReadFloats(tensor);
        for (var i = 0; i < perFilter; i++) values[(to * perFilter) + i] = 2 * values[(from * perFilter) + i];
        return TensorData.FromFloats(tensor.Name, tensor.Dims.ToArray(), values);
    }
}
