using Microsoft.ML.OnnxRuntime;
using ModelBuild.Compression.Evaluation;
using ModelBuild.Compression.Targets;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Evaluation;

/// <summary>
/// ONNX Runtime's exact int8 option (on for measurements and in apps on CPUs without VNNI) refuses a PyTorch QAT export
/// whose weights share a zero point. Forced on here, so these hold on every CPU kind, not only on the one that needs it.
/// </summary>
public sealed class ExactInt8SessionTests
{
    private static readonly ZooClassifier Export = ZooModels.FamilyQatFakeQuant;

    [ZooFact]
    public void A_model_onnx_runtime_refuses_under_the_exact_option_is_still_measured()
    {
        var export = File.ReadAllBytes(Export.ModelPath);
        using (var exact = OrtRunner.NewOptions(exactInt8: true))
            Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(export, exact).Dispose());

        using var session = MeasurementSessionOptions.CreateSession(export, exactInt8: true);

        var sample = Export.LabeledSet.First();
        var input = new Dictionary<string, InputTensor> { [session.InputNames[0]] = new(sample.Input.Values, sample.Input.Shape) };
        Assert.Equal(10, OrtRunner.Run(session, input).Values.Single().Data.Length);
    }

    [ZooFact]
    public void The_folded_export_kept_int8_gives_each_weight_its_own_zero_point_so_the_exact_option_runs_it()
    {
        var original = OnnxModelFile.Parse(File.ReadAllBytes(Export.ModelPath), Export.ModelPath);

        var folded = ModelCompressor.Compress(original, Recipe.Int8Dynamic, new CompressionSettings { Target = TargetCpu.X64Vnni }).Model;

        var int8Weights = folded.Graph.Initializer.Where(t => t.DataType == (int)ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType.Int8 && t.Dims.Count > 1)
            .Select(t => t.Name).ToHashSet();
        var zeroPoints = folded.Graph.Node.Where(n => n.OpType == "DequantizeLinear" && int8Weights.Contains(n.Input[0])).Select(n => n.Input[2]).ToList();
        Assert.Equal(6, zeroPoints.Count);
        Assert.Equal(zeroPoints.Count, zeroPoints.Distinct().Count());
        using var exact = OrtRunner.NewOptions(exactInt8: true);
        using var session = new InferenceSession(OnnxModelFile.ToBytes(folded), exact);
    }
}
