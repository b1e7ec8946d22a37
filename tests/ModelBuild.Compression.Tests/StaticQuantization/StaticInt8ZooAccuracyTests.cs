using ModelBuild.Compression.Calibration;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.StaticQuantization;

/// <summary>
/// Static int8 on the zoo's CNNs, kept small: calibrated on 200 inputs taken from the end of the labeled set and
/// evaluated on 500 other ones from its start, fp32 and int8 side by side in the same run. The size and latency
/// targets are measured on the whole sets by <see cref="StaticInt8ZooNumbersTests"/>.
/// </summary>
public sealed class StaticInt8ZooAccuracyTests(ITestOutputHelper output)
{
    private const int CalibrationCount = 200;
    private const int EvaluationCount = 500;

    public static TheoryData<string, CalibrationMethod> ModelsAndMethods { get; } = new()
    {
        { "mnist", CalibrationMethod.MinMax },
        { "fashion-mnist", CalibrationMethod.MinMax },
        { "cifar10-resnet20", CalibrationMethod.MinMax },
        { "cifar10-resnet20", CalibrationMethod.Percentile },
        { "cifar10-resnet20", CalibrationMethod.Entropy },
    };

    [ZooTheory]
    [MemberData(nameof(ModelsAndMethods))]
    public void Static_int8_runs_in_onnx_runtime_and_keeps_top1_within_one_point(string modelName, CalibrationMethod method)
    {
        var model = new[] { ZooModels.Mnist, ZooModels.FashionMnist, ZooModels.Cifar10ResNet20 }.Single(m => m.Name == modelName);
        var original = File.ReadAllBytes(model.ModelPath);
        var proto = OnnxModelFile.Parse(original, model.ModelPath);
        var inputName = OnnxGraph.RealInputs(proto.Graph)[0].Name;
        var labeled = model.LabeledSet;
        var calibration = labeled.Skip(labeled.Count - CalibrationCount);
        var evaluation = labeled.Take(EvaluationCount).ToList();

        var result = StaticInt8Quantizer.Quantize(proto, CalibrationSamples.From(calibration, inputName), new StaticQuantizationOptions { CalibrationMethod = method });
        var quantized = OnnxModelFile.ToBytes(result.Model);

        using var fp32Runner = ModelRunner.Open(original);
        using var int8Runner = ModelRunner.Open(quantized);
        var fp32 = ClassificationEvaluator.Evaluate(fp32Runner, evaluation);
        var int8 = ClassificationEvaluator.Evaluate(int8Runner, evaluation);
        var dropPoints = (fp32.Top1 - int8.Top1) * 100;
        output.WriteLine($"{modelName} {method}: fp32 top-1 {fp32.Top1:P2}, int8 {int8.Top1:P2} on {evaluation.Count}; {original.Length} -> {quantized.Length} bytes; {result.QuantizedNodes.Count} quantized nodes");

        Assert.NotEmpty(result.QuantizedNodes);
        Assert.Contains(result.Model.Graph.Node, n => n.OpType == "QuantizeLinear");
        Assert.True(dropPoints <= 1.0, $"{modelName} {method}: int8 top-1 {int8.Top1:P2} against fp32 {fp32.Top1:P2} on {evaluation.Count} inputs, a drop of {dropPoints:F2} points");
        Assert.True(quantized.Length < original.Length, $"{modelName}: {quantized.Length} bytes stored, the original has {original.Length}");
    }
}
