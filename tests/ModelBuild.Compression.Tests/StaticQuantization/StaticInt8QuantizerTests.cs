using Google.Protobuf;
using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.Runtime.Cpu;
using ModelBuild.TestSupport;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary>Static int8 on the in-code models: the QDQ layout, the options, and outputs close to float in ONNX Runtime.</summary>
public sealed class StaticInt8QuantizerTests
{
    private static List<ImageTensor> RandomImages(long[] shape, int count, int seed)
    {
        var random = new Random(seed);
        var size = (int)shape.Aggregate(1L, (a, b) => a * b);
        return Enumerable.Range(0, count).Select(_ => new ImageTensor(Enumerable.Range(0, size).Select(_ => random.NextSingle()).ToArray(), shape)).ToList();
    }

    private static StaticQuantizationResult QuantizeConvClassifier(StaticQuantizationOptions options) =>
        StaticInt8Quantizer.Quantize(TestModels.ConvClassifier(), CalibrationSamples.From(RandomImages([1, 1, 8, 8], 64, seed: 11), "image"), options);

    /// <summary>Largest output difference relative to the largest float output, over fresh inputs (not the calibration ones).</summary>
    /// <param name="exactInt8">Run the quantized model with ONNX Runtime's exact int8 arithmetic (needed for full-range int8 weights on a CPU whose u8 x s8 kernels saturate).</param>
    private static float RelativeError(ModelProto floatModel, ModelProto quantized, string inputName, long[] shape, bool exactInt8 = false)
    {
        var worst = 0f;
        foreach (var image in RandomImages(shape, 8, seed: 99))
        {
            var inputs = new Dictionary<string, InputTensor> { [inputName] = new(image.Values, image.Shape) };
            var expected = OrtRunner.Run(floatModel.ToByteArray(), inputs).Values.Single().Data;
            var actual = OrtRunner.Run(quantized.ToByteArray(), inputs, exactInt8).Values.Single().Data;
            var scale = expected.Max(Math.Abs);
            worst = Math.Max(worst, expected.Zip(actual, (e, a) => Math.Abs(e - a) / scale).Max());
        }
        return worst;
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void Conv_classifier_runs_in_onnx_runtime_close_to_float(CalibrationMethod method)
    {
        var result = QuantizeConvClassifier(new StaticQuantizationOptions { CalibrationMethod = method });

        var error = RelativeError(TestModels.ConvClassifier(), result.Model, "image", [1, 1, 8, 8]);
        Assert.True(error < 0.05f, $"{method}: largest difference {error:P2} of the output's magnitude");
        Assert.Equal(["scores"], result.Model.Graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void Qdq_layout_per_channel_weights_int32_bias_relu_absorbed_and_maxpool_sharing_its_input_grid()
    {
        var result = QuantizeConvClassifier(new StaticQuantizationOptions());
        var graph = result.Model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);

        var conv = graph.Node.Single(n => n.OpType == "Conv");
        var weightDequantize = producers[conv.Input[1]];
        Assert.Equal("DequantizeLinear", weightDequantize.OpType);
        Assert.Equal((int)DataType.Int8, initializers[weightDequantize.Input[0]].DataType);
        Assert.Equal([4L], initializers[weightDequantize.Input[1]].Dims);
        Assert.Equal(0, weightDequantize.Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal((int)DataType.Int32, initializers[producers[conv.Input[2]].Input[0]].DataType);

        // Relu is gone: the Conv writes what the Relu wrote, straight into a QuantizeLinear.
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Relu");
        Assert.Equal("QuantizeLinear", graph.Node.Single(n => n.Input.Contains(conv.Output[0])).OpType);

        var maxPool = graph.Node.Single(n => n.OpType == "MaxPool");
        var before = producers[maxPool.Input[0]];
        var after = graph.Node.Single(n => n.OpType == "QuantizeLinear" && n.Input[0] == maxPool.Output[0]);
        Assert.Equal(initializers[before.Input[1]].RawData, initializers[after.Input[1]].RawData);
        Assert.Equal(initializers[before.Input[2]].RawData, initializers[after.Input[2]].RawData);
        Assert.DoesNotContain("conv_out", result.ActivationRanges.Keys);
        Assert.True(result.ActivationRanges["relu_out"].Min >= 0, $"relu_out range {result.ActivationRanges["relu_out"]} should start at 0");
    }

    [Fact]
    public void Excluded_operator_stays_float()
    {
        var result = QuantizeConvClassifier(new StaticQuantizationOptions { ExcludeOps = new HashSet<string> { "Gemm" } });

        var gemm = result.Model.Graph.Node.Single(n => n.OpType == "Gemm");
        Assert.Contains(result.Model.Graph.Initializer, t => t.Name == gemm.Input[1] && t.DataType == (int)DataType.Float);
        Assert.DoesNotContain(result.QuantizedNodes, name => name == gemm.Name || name == "scores");
        Assert.Contains(result.Model.Graph.Node, n => n.OpType == "Conv");
    }

    [Fact]
    public void Excluded_node_keeps_its_float_weight_and_its_relu()
    {
        var model = TestModels.ConvClassifier();
        model.Graph.Node.Single(n => n.OpType == "Conv").Name = "first_conv";

        var result = StaticInt8Quantizer.Quantize(model, CalibrationSamples.From(RandomImages([1, 1, 8, 8], 16, seed: 3), "image"),
            new StaticQuantizationOptions { ExcludeNodes = new HashSet<string> { "first_conv" } });

        var conv = result.Model.Graph.Node.Single(n => n.Name == "first_conv");
        Assert.Contains(result.Model.Graph.Initializer, t => t.Name == conv.Input[1] && t.DataType == (int)DataType.Float);
        Assert.Contains(result.Model.Graph.Node, n => n.OpType == "Relu");
    }

    [Theory]
    [InlineData(ActivationType.Int8, WeightFormat.Int8, DataType.Int8)]
    [InlineData(ActivationType.UInt8, WeightFormat.Int8ReducedRange, DataType.Uint8)]
    [InlineData(ActivationType.UInt8, WeightFormat.UInt8, DataType.Uint8)]
    [InlineData(ActivationType.UInt8, WeightFormat.PerLayer, DataType.Uint8)]
    public void Other_activation_and_weight_types_run_close_to_float(ActivationType activations, WeightFormat weights, DataType activationZeroPointType)
    {
        var result = QuantizeConvClassifier(new StaticQuantizationOptions { ActivationType = activations, WeightFormat = weights });

        var quantize = result.Model.Graph.Node.First(n => n.OpType == "QuantizeLinear");
        Assert.Equal((int)activationZeroPointType, result.Model.Graph.Initializer.Single(t => t.Name == quantize.Input[2]).DataType);
        // Full-range int8 weights are exact only where the u8 x s8 kernels sum in 32 bits (VNNI, AMX, ARM64); elsewhere
        // the test asks ONNX Runtime for its exact kernels, as the build's measurements and the generated class do.
        var exact = weights == WeightFormat.Int8 && InstructionSet.Current.U8S8Saturates;
        var error = RelativeError(TestModels.ConvClassifier(), result.Model, "image", [1, 1, 8, 8], exact);
        Assert.True(error < 0.06f, $"{activations}/{weights}: largest difference {error:P2} of the output's magnitude");
    }

    [Fact]
    public void Matmul_weights_are_quantized_per_column_and_constant_weights_are_found()
    {
        // Enough inputs that the fresh ones compared below rarely fall outside the calibrated output range (they would clip).
        var matMul = StaticInt8Quantizer.Quantize(TestModels.MatMulModel(), CalibrationSamples.From(RandomImages([1, 16], 512, seed: 4), "features"), new StaticQuantizationOptions());
        var constants = StaticInt8Quantizer.Quantize(TestModels.ConstantWeightsModel(), CalibrationSamples.From(RandomImages([1, 3, 8, 8], 32, seed: 5), "x"), new StaticQuantizationOptions());

        var weightDequantize = matMul.Model.Graph.Node.First(n => n.OpType == "DequantizeLinear" && n.Attribute.Any(a => a.Name == "axis"));
        Assert.Equal(1, weightDequantize.Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal([32L], matMul.Model.Graph.Initializer.Single(t => t.Name == weightDequantize.Input[1]).Dims);
        var matMulError = RelativeError(TestModels.MatMulModel(), matMul.Model, "features", [1, 16]);
        Assert.True(matMulError < 0.05f, $"MatMul model: largest difference {matMulError:P2}");
        Assert.DoesNotContain(constants.Model.Graph.Initializer, t => t.DataType == (int)DataType.Float && t.Dims.Aggregate(1L, (a, b) => a * b) > 16);
        var constantsError = RelativeError(TestModels.ConstantWeightsModel(), constants.Model, "x", [1, 3, 8, 8]);
        Assert.True(constantsError < 0.05f, $"Constant weights model: largest difference {constantsError:P2}");
    }

    [Fact]
    public void Calibration_inputs_are_enumerated_once_one_at_a_time()
    {
        var enumerations = 0;
        IEnumerable<IReadOnlyDictionary<string, ImageTensor>> Stream()
        {
            enumerations++;
            foreach (var sample in CalibrationSamples.From(RandomImages([1, 1, 8, 8], 5, seed: 1), "image"))
                yield return sample;
        }

        StaticInt8Quantizer.Quantize(TestModels.ConvClassifier(), Stream(), new StaticQuantizationOptions());

        Assert.Equal(1, enumerations);
    }

    [Fact]
    public void Missing_input_name_is_reported_with_the_expected_and_found_names()
    {
        var error = Assert.Throws<ArgumentException>(() => StaticInt8Quantizer.Quantize(TestModels.ConvClassifier(),
            CalibrationSamples.From(RandomImages([1, 1, 8, 8], 2, seed: 1), "pixels"), new StaticQuantizationOptions()));

        Assert.Contains("'image'", error.Message);
        Assert.Contains("pixels", error.Message);
    }

    [Fact]
    public void No_calibration_inputs_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => StaticInt8Quantizer.Quantize(TestModels.ConvClassifier(), [], new StaticQuantizationOptions()));
    }
}
