using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Targets;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Cpu;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Quantization;

/// <summary>
/// Models quantized elsewhere keep their integers: int8 weights become uint8 with the zero point moved by 128, the
/// same values once the zero point is subtracted, and ONNX Runtime runs them exactly on every CPU.
/// </summary>
public sealed class UInt8WeightRewriterTests
{
    /// <summary>x float[1,4,6,6] -> QuantizeLinear (uint8) -> QLinearConv (int8 weights, per channel) -> DequantizeLinear -> y.</summary>
    private static ModelProto QLinearConvModel(sbyte maxWeight, DataType activationType = DataType.Uint8)
    {
        var random = new Random(3);
        var weights = Enumerable.Range(0, 3 * 4 * 9).Select(_ => (sbyte)random.Next(-maxWeight, maxWeight + 1)).ToArray();
        weights[0] = maxWeight;
        byte[] zero = activationType == DataType.Uint8 ? [100] : [unchecked((byte)-20)];
        TensorProto ZeroPoint(string name) => activationType == DataType.Uint8 ? TensorData.FromUInt8(name, [], zero) : TensorData.FromInt8(name, [], [(sbyte)zero[0]]);
        return new OnnxModelBuilder(opset: 13)
            .Input("x", DataType.Float, 1, 4, 6, 6)
            .Output("y", DataType.Float, 1, 3, 6, 6)
            .Initializer(TensorData.FromFloats("x_scale", [], [0.02f]))
            .Initializer(ZeroPoint("x_zero_point"))
            .Initializer(TensorData.FromInt8("w", [3, 4, 3, 3], weights))
            .Initializer(TensorData.FromFloats("w_scale", [3], [0.01f, 0.02f, 0.005f]))
            .Initializer(TensorData.FromInt8("w_zero_point", [3], [0, 0, 0]))
            .Initializer(TensorData.FromFloats("y_scale", [], [0.05f]))
            .Initializer(ZeroPoint("y_zero_point"))
            .Node("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["xq"])
            .Node("QLinearConv", ["xq", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point", "y_scale", "y_zero_point"], ["yq"],
                OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1))
            .Node("DequantizeLinear", ["yq", "y_scale", "y_zero_point"], ["y"])
            .Build();
    }

    [Fact]
    public void Full_range_int8_weights_become_uint8_with_the_same_integers()
    {
        var original = QLinearConvModel(maxWeight: 127);
        var rewritten = original.Clone();

        Assert.Equal(1, UInt8WeightRewriter.Rewrite(rewritten));

        var conv = rewritten.Graph.Node.Single(n => n.OpType == "QLinearConv");
        AssertSameIntegers(original, "w", "w_zero_point", rewritten, conv.Input[3], conv.Input[5]);
        Assert.True(OnnxModelFile.ToBytes(rewritten).Length <= OnnxModelFile.ToBytes(original).Length, "re-expressed in place: no more bytes");
        Assert.Equal(ExactOutputs(original), ExactOutputs(rewritten));
        // uint8 weights run the u8 x u8 kernels: exact on any CPU without asking ONNX Runtime for its exact mode.
        Assert.Equal(ExactOutputs(original), Outputs(rewritten, exact: false));
    }

    [Fact]
    public void Weights_that_cannot_saturate_stay_int8()
    {
        var model = QLinearConvModel(maxWeight: 64);

        Assert.Equal(0, UInt8WeightRewriter.Rewrite(model));
        Assert.Equal((int)DataType.Int8, model.Graph.Initializer.Single(t => t.Name == "w").DataType);
    }

    [Fact]
    public void Weights_read_with_int8_activations_stay_int8_since_no_kernel_takes_s8_by_u8()
    {
        var model = QLinearConvModel(maxWeight: 127, DataType.Int8);

        Assert.Equal(0, UInt8WeightRewriter.Rewrite(model));
    }

    [Fact]
    public void An_avx2_target_rewrites_a_quantized_model_and_portable_and_vnni_targets_keep_it()
    {
        var model = QLinearConvModel(maxWeight: 127);
        var avx2Settings = new CompressionSettings { Target = TargetCpu.X64Avx2 };

        var avx2 = ModelCompressor.Compress(model, Recipe.Int8Dynamic, avx2Settings);
        var portable = ModelCompressor.Compress(model, Recipe.Int8Dynamic);
        var vnni = ModelCompressor.Compress(model, Recipe.Int8Dynamic, new CompressionSettings { Target = TargetCpu.X64Vnni });
        var packed = ModelCompressor.Compress(model, Recipe.Huffman, avx2Settings);
        var none = ModelCompressor.Compress(model, Recipe.None);

        Assert.Equal(Int8Scheme.U8U8, avx2.Scheme);
        Assert.Contains("re-expressed 1 full-range int8 weight tensors as uint8", Assert.Single(avx2.Warnings).Message);
        // Portable keeps the u8 x s8 speed; the generated class runs it exactly where those kernels saturate.
        Assert.Equal(Int8Scheme.U8S8, portable.Scheme);
        Assert.Equal(OnnxModelFile.ToBytes(model), OnnxModelFile.ToBytes(portable.Model));
        Assert.Equal(Int8Scheme.U8S8, vnni.Scheme);
        Assert.Equal(OnnxModelFile.ToBytes(model), OnnxModelFile.ToBytes(vnni.Model));
        Assert.Equal(Int8Scheme.U8U8, packed.Scheme);
        Assert.Equal(OnnxModelFile.ToBytes(avx2.Model), ModelContainer.Decode(packed.Container!));
        Assert.Equal(Int8Scheme.U8S8, none.Scheme);
    }

    [ZooFact]
    public void The_zoo_mobilenet_gets_the_exact_top1_with_no_more_bytes()
    {
        var zoo = ZooModels.ImageNetMobileNetV2Int8;
        var originalBytes = File.ReadAllBytes(zoo.ModelPath);
        var original = OnnxModelFile.Parse(originalBytes, zoo.ModelPath);

        var result = ModelCompressor.Compress(original, Recipe.Int8, new CompressionSettings { Target = TargetCpu.X64Avx2 });

        Assert.Equal(Int8Scheme.U8U8, result.Scheme);
        var rewrittenBytes = OnnxModelFile.ToBytes(result.Model);
        Assert.True(rewrittenBytes.Length <= originalBytes.Length, $"{rewrittenBytes.Length:N0} bytes re-expressed against {originalBytes.Length:N0}");
        var rewrittenConvs = result.Model.Graph.Node.Where(n => n.OpType == "QLinearConv").ToList();
        var originalConvs = original.Graph.Node.Where(n => n.OpType == "QLinearConv").ToList();
        var shifted = 0;
        for (var i = 0; i < originalConvs.Count; i++)
        {
            if (rewrittenConvs[i].Input[3] == originalConvs[i].Input[3] && Initializer(result.Model, rewrittenConvs[i].Input[3]).DataType == (int)DataType.Int8)
                continue;
            AssertSameIntegers(original, originalConvs[i].Input[3], originalConvs[i].Input[5], result.Model, rewrittenConvs[i].Input[3], rewrittenConvs[i].Input[5]);
            shifted++;
        }
        Assert.True(shifted > 10, $"{shifted} QLinearConv weights re-expressed");

        // The same predictions as the exact arithmetic (VNNI's): 77.26 % on val-500 in RESULTS.md, on every CPU.
        var images = zoo.LabeledSet.Take(60).ToList();
        using var exact = ModelRunner.Open(originalBytes);
        using var session = new InferenceSession(rewrittenBytes);
        foreach (var image in images)
            Assert.Equal(Argmax(exact.Run(image.Input).Values), Argmax(RunPlain(session, image.Input)));
    }

    private static void AssertSameIntegers(ModelProto original, string weight, string zeroPoint, ModelProto rewritten, string newWeight, string newZeroPoint)
    {
        var signed = TensorData.ReadRawBytes(Initializer(original, weight)).Select(b => (int)(sbyte)b).ToArray();
        var signedZero = TensorData.ReadRawBytes(Initializer(original, zeroPoint)).Select(b => (int)(sbyte)b).ToArray();
        var unsigned = Initializer(rewritten, newWeight);
        var unsignedZero = Initializer(rewritten, newZeroPoint);
        Assert.Equal((int)DataType.Uint8, unsigned.DataType);
        Assert.Equal((int)DataType.Uint8, unsignedZero.DataType);
        var values = TensorData.ReadRawBytes(unsigned);
        var zeros = TensorData.ReadRawBytes(unsignedZero);
        var perChannel = values.Length / zeros.Length;
        for (var i = 0; i < values.Length; i++)
            Assert.Equal(signed[i] - signedZero[i / perChannel], values[i] - zeros[i / perChannel]);
    }

    private static TensorProto Initializer(ModelProto model, string name) => model.Graph.Initializer.Single(t => t.Name == name);

    private static float[] ExactOutputs(ModelProto model) => Outputs(model, exact: true);

    /// <summary>With <paramref name="exact"/>, ONNX Runtime's exact int8 mode where this CPU's u8 x s8 kernels saturate.</summary>
    private static float[] Outputs(ModelProto model, bool exact)
    {
        using var options = OrtRunner.NewOptions();
        if (exact && InstructionSet.Current.U8S8Saturates)
            options.AddSessionConfigEntry(InstructionSet.ExactInt8SessionOption, "1");
        using var session = new InferenceSession(OnnxModelFile.ToBytes(model), options);
        var input = Enumerable.Range(0, 4 * 36).Select(i => MathF.Sin(i * 0.37f) * 2.5f).ToArray();
        return OrtRunner.Run(session, new Dictionary<string, InputTensor> { ["x"] = new(input, [1, 4, 6, 6]) }).Values.Single().Data;
    }

    private static float[] RunPlain(InferenceSession session, ImageTensor input)
    {
        var outputs = OrtRunner.Run(session, new Dictionary<string, InputTensor> { [session.InputNames[0]] = new(input.Values, input.Shape) });
        return outputs.Values.First().Data;
    }

    private static int Argmax(IReadOnlyList<float> scores) => scores.Select((s, i) => (s, i)).MaxBy(p => p.s).i;
}
