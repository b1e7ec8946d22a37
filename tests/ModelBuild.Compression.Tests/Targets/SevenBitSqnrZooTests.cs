using ModelBuild.Compression.Quantization;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Targets;

/// <summary>
/// What the per-layer scheme's 34 dB floor rests on (docs/internals.md, "Target CPU"): the zoo's classifiers keep 7 bits
/// on every GEMM weight but one of the Fashion-MNIST CNN's; PP-OCRv4's recognizer keeps 8 on about half of its weights.
/// </summary>
public sealed class SevenBitSqnrZooTests(ITestOutputHelper output)
{
    [ZooTheory]
    [InlineData("mnist", "mnist-8.onnx", false)]
    [InlineData("fashion-mnist", "fashion-mnist-cnn.onnx", true)]
    [InlineData("cifar10", "resnet20.onnx", false)]
    [InlineData("fashion-mnist-family", "fmnist-bn-cnn.onnx", false)]
    [InlineData("ocr", "ch_PP-OCRv4_rec_infer.onnx", true)]
    public void Which_zoo_models_have_weights_under_the_7_bit_floor(string folder, string file, bool someBelowFloor)
    {
        var model = StaticInt8Quantizer.Prepare(OnnxModelFile.Load(Zoo.PathOf(folder, file)));
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        var sqnrs = new List<double>();
        foreach (var node in model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul"))
        {
            if (node.Input.Count < 2 || !initializers.TryGetValue(node.Input[1], out var weight) || weight.DataType != (int)TensorProto.Types.DataType.Float)
                continue;
            var group = node.Attribute.FirstOrDefault(a => a.Name == "group")?.I ?? 1;
            if (node.OpType == "Conv" && group > 1 && weight.Dims[1] == 1)
                continue; // depthwise: full int8 whatever its SQNR
            var transB = node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0;
            var axis = node.OpType == "Conv" || transB != 0 ? 0 : 1;
            sqnrs.Add(PerChannelWeights.SevenBitSqnr(TensorData.ReadFloats(weight), weight.Dims.ToArray(), axis));
        }

        var sorted = sqnrs.Order().ToList();
        output.WriteLine($"{file}: {sorted.Count} weights, 7-bit SQNR lowest {sorted[0]:F1} dB, median {sorted[sorted.Count / 2]:F1} dB, {sorted.Count(s => s < PerChannelWeights.SevenBitSqnrFloorDecibels)} under the {PerChannelWeights.SevenBitSqnrFloorDecibels} dB floor");
        Assert.Equal(someBelowFloor, sorted[0] < PerChannelWeights.SevenBitSqnrFloorDecibels);
    }
}
