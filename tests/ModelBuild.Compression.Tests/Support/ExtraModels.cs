using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using static ModelBuild.TestSupport.OnnxModelBuilder;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Support;

/// <summary>Models the shared TestModels do not cover: Conv weights large enough for int8, Gemm variants, QDQ.</summary>
public static class ExtraModels
{
    /// <summary>
    /// Conv [16,8,3,3] + Relu + GlobalAveragePool + Flatten + Gemm(transB=1, alpha=0.5, beta=2, C=[20]):
    /// <c>x</c> float[N,8,6,6] -> <c>y</c> float[N,20], opset 13.
    /// </summary>
    public static ModelProto WideConv(int seed = 11)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 8, 6, 6)
            .Output("y", DataType.Float, "N", 20)
            .Initializer(RandomFloats(random, "conv.weight", [16, 8, 3, 3], 0.3f))
            .Initializer(RandomFloats(random, "conv.bias", [16], 0.1f))
            .Initializer(RandomFloats(random, "fc.weight", [20, 16], 0.4f))
            .Initializer(RandomFloats(random, "fc.bias", [20], 0.1f))
            .Node("Conv", ["x", "conv.weight", "conv.bias"], ["conv"], OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["conv"], ["relu"])
            .Node("GlobalAveragePool", ["relu"], ["pool"])
            .Node("Flatten", ["pool"], ["flat"])
            .Node("Gemm", ["flat", "fc.weight", "fc.bias"], ["y"],
                OnnxAttributes.Int("transB", 1), OnnxAttributes.Float("alpha", 0.5f), OnnxAttributes.Float("beta", 2f))
            .Build();
    }

    /// <summary>Gemm with transA=1: <c>a</c> float[32,N] x [32,16] -> <c>y</c> float[N,16]; must stay float.</summary>
    public static ModelProto GemmTransposedActivation(int seed = 12)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("a", DataType.Float, 32, "N")
            .Output("y", DataType.Float, "N", 16)
            .Initializer(RandomFloats(random, "w", [32, 16]))
            .Node("Gemm", ["a", "w"], ["y"], OnnxAttributes.Int("transA", 1))
            .Build();
    }

    /// <summary>
    /// Conv + BatchNormalization whose variances (~1e8) overflow float16, like PP-OCRv4's detector:
    /// <c>x</c> float[N,4,6,6] -> <c>y</c> float[N,16,6,6].
    /// </summary>
    public static ModelProto HugeBatchNormVariance(int seed = 14)
    {
        var random = new Random(seed);
        var variance = Enumerable.Range(0, 16).Select(_ => 1e7f + random.NextSingle() * 9e7f).ToArray();
        var scale = variance.Select(v => MathF.Sqrt(v) * (0.5f + random.NextSingle())).ToArray();
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, "N", 4, 6, 6)
            .Output("y", DataType.Float, "N", 16, 6, 6)
            .Initializer(RandomFloats(random, "conv.weight", [16, 4, 3, 3]))
            .Initializer(TensorData.FromFloats("bn.scale", [16], scale))
            .Initializer(RandomFloats(random, "bn.bias", [16], 0.1f))
            .Initializer(RandomFloats(random, "bn.mean", [16], 0.1f))
            .Initializer(TensorData.FromFloats("bn.var", [16], variance))
            .Node("Conv", ["x", "conv.weight"], ["conv"], OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("BatchNormalization", ["conv", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["y"])
            .Build();
    }

    /// <summary>A QDQ model, as quantization-aware training exports: <c>x</c> float[1,16] -> <c>y</c> float[1,16].</summary>
    public static ModelProto QuantizeDequantize(int seed = 13)
    {
        var random = new Random(seed);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, 1, 16)
            .Output("y", DataType.Float, 1, 16)
            .Initializer(TensorData.FromFloats("s", [], [0.02f]))
            .Initializer(TensorData.FromUInt8("zp", [], [128]))
            .Initializer(RandomFloats(random, "w", [16, 16]))
            .Node("QuantizeLinear", ["x", "s", "zp"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "zp"], ["xd"])
            .Node("MatMul", ["xd", "w"], ["y"])
            .Build();
    }
}
