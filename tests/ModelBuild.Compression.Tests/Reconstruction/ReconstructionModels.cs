using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using static ModelBuild.TestSupport.OnnxModelBuilder;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Reconstruction;

/// <summary>Small float models for block reconstruction.</summary>
internal static class ReconstructionModels
{
    /// <summary>
    /// A strided stem and a residual block: Conv s (4 filters, 3x2, strides 2x1, pads 1,0,0,1) + Relu = h; Conv a (4,
    /// 3x3, pads 1) + <paramref name="activation"/>, Conv b (4, 1x1), Add(h, b) + Relu = y. <c>x</c> float[N,3,9,7] ->
    /// <c>y</c> float[N,4,4,7]. Regions: x -> h (stem), h -> y (block).
    /// </summary>
    /// <param name="width">The input's width: 7, or a name for a symbolic one (inputs of several widths, as text lines).</param>
    public static ModelProto Block(int seed = 21, string activation = "Relu", float noise = 0, object? width = null)
    {
        var random = new Random(seed);
        var perturb = new Random(seed + 100);
        TensorProto Weights(string name, long[] dims, float scale)
        {
            var tensor = RandomFloats(random, name, dims, scale);
            if (noise == 0) return tensor;
            var values = Onnx.TensorData.ReadFloats(tensor).Select(v => (v * (1 - noise)) + ((perturb.NextSingle() * 2 - 1) * noise * scale)).ToArray();
            return Onnx.TensorData.FromFloats(name, dims, values);
        }
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 3, 9, width ?? 7)
            .Output("y", DataType.Float, "N", 4, 4, width ?? 7)
            .Initializer(Weights("s.weight", [4, 3, 3, 2], 0.5f))
            .Initializer(Weights("s.bias", [4], 0.1f))
            .Initializer(Weights("a.weight", [4, 4, 3, 3], 0.4f))
            .Initializer(Weights("a.bias", [4], 0.1f))
            .Initializer(Weights("b.weight", [4, 4, 1, 1], 0.5f))
            .Node("Conv", ["x", "s.weight", "s.bias"], ["s_out"], OnnxAttributes.Ints("kernel_shape", 3, 2), OnnxAttributes.Ints("strides", 2, 1), OnnxAttributes.Ints("pads", 1, 0, 0, 1))
            .Node("Relu", ["s_out"], ["h"])
            .Node("Conv", ["h", "a.weight", "a.bias"], ["a_out"], OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node(activation, ["a_out"], ["r"])
            .Node("Conv", ["r", "b.weight"], ["b_out"], OnnxAttributes.Ints("kernel_shape", 1, 1))
            .Node("Add", ["h", "b_out"], ["sum"])
            .Node("Relu", ["sum"], ["y"])
            .Build();
    }

    /// <summary>Gemm p (transB 0, weight [6, 5], bias) + Relu, Gemm q (transB 1, weight [3, 5]): <c>x</c> float[N,6] -> <c>y</c> float[N,3].</summary>
    public static ModelProto Gemms(int seed = 22)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 6)
            .Output("y", DataType.Float, "N", 3)
            .Initializer(RandomFloats(random, "p.weight", [6, 5]))
            .Initializer(RandomFloats(random, "p.bias", [5], 0.1f))
            .Initializer(RandomFloats(random, "q.weight", [3, 5]))
            .Node("Gemm", ["x", "p.weight", "p.bias"], ["p_out"])
            .Node("Relu", ["p_out"], ["r"])
            .Node("Gemm", ["r", "q.weight"], ["y"], OnnxAttributes.Int("transB", 1))
            .Build();
    }
}
