using System.Text.RegularExpressions;
using ModelBuild.Compression.Comparison;
using ModelBuild.Compression.Data;
using ModelBuild.Compression.Graphs;
using ModelBuild.Compression.Quantization;
using ModelBuild.Compression.Tests.Accuracy;
using ModelBuild.Compression.Tests.StaticQuantization;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;
using Xunit.Abstractions;
using DataType = ModelBuild.Onnx.Protobuf.TensorProto.Types.DataType;

namespace ModelBuild.Compression.Tests.Graphs;

/// <summary>
/// The renaming that ends every recipe, checked against the same model left with the passes' long names: the
/// signature, the original names and ONNX Runtime's outputs (bit for bit) stay, the file shrinks, and layer diagnosis
/// still finds every layer.
/// </summary>
public sealed partial class IntroducedNameShortenerTests(ITestOutputHelper output)
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]?$")]
    private static partial Regex ShortIdentifier();

    public static TheoryData<string> InCodeModels { get; } = [nameof(TestModels.ConvClassifier), nameof(TestModels.Ir3Model), nameof(TestModels.MatMulModel)];

    [Theory]
    [MemberData(nameof(InCodeModels))]
    public void Static_int8_keeps_signature_original_names_and_outputs_with_short_added_names(string modelName)
    {
        var original = TestModels.All[modelName]();
        var inputs = RandomImages(original, 32, seed: 5);
        var unshortened = Int8(original, inputs);

        var shortened = Shortened(original, unshortened);

        AssertShortenedFaithfully(original, unshortened, shortened, RandomRuns(original, 8));
        Assert.Equal(Diagnosis(original, unshortened, inputs), Diagnosis(original, shortened, inputs));
    }

    [ZooTheory]
    [InlineData("mnist")]
    [InlineData("cifar10-resnet20")]
    public void Zoo_int8_keeps_outputs_bit_for_bit_and_layer_diagnosis_with_short_added_names(string modelName)
    {
        var model = new[] { ZooModels.Mnist, ZooModels.Cifar10ResNet20 }.Single(m => m.Name == modelName);
        var original = OnnxModelFile.Load(model.ModelPath);
        var labeled = model.LabeledSet;
        var calibration = labeled.Skip(labeled.Count - 32).Select(l => l.Input).ToList();
        var unshortened = Int8(original, calibration);

        var shortened = Shortened(original, unshortened);

        var inputName = OnnxGraph.RealInputs(original.Graph)[0].Name;
        var runs = labeled.Take(16).Select(l => new Dictionary<string, InputTensor> { [inputName] = new(l.Input.Values, l.Input.Shape) }).ToList();
        AssertShortenedFaithfully(original, unshortened, shortened, runs);
        var diagnosis = Diagnosis(original, shortened, calibration.Take(4).ToList());
        Assert.NotEmpty(diagnosis);
        Assert.Equal(Diagnosis(original, unshortened, calibration.Take(4).ToList()), diagnosis);
        output.WriteLine($"{modelName} int8: {ModelFacts.Bytes(unshortened).Length} bytes with the passes' names, {ModelFacts.Bytes(shortened).Length} shortened; layers diagnosed: {diagnosis.Count}");
    }

    [Fact]
    public void Names_a_subgraph_reads_are_kept_and_its_outputs_stay_the_same()
    {
        var original = TestModels.SubgraphModel();
        // What a pass might do: put an outer weight behind two added nodes, the second read inside the else-branch.
        var compressed = original.Clone();
        compressed.Graph.Node.Insert(0, new NodeProto { OpType = "Identity", Name = "shift_copy_added", Input = { "shift" }, Output = { "shift_copy_added_value" } });
        compressed.Graph.Node.Insert(1, new NodeProto { OpType = "Identity", Name = "shift_read_in_branch", Input = { "shift_copy_added_value" }, Output = { "shift_read_in_branch" } });
        var elseBranch = compressed.Graph.Node.Single(n => n.OpType == "If").Attribute.Single(a => a.Name == "else_branch").G;
        elseBranch.Node.Single().Input[1] = "shift_read_in_branch";
        var expected = new[] { true, false }.Select(flag => OrtRunner.Run(ModelFacts.Bytes(compressed), Inputs(compressed, flag))).ToList();

        var renamed = IntroducedNameShortener.Shorten(original, compressed);

        Assert.Equal(1, renamed);
        Assert.Contains(compressed.Graph.Node, n => n.Output.Contains("shift_read_in_branch"));
        Assert.DoesNotContain(compressed.Graph.Node, n => n.Output.Contains("shift_copy_added_value"));
        Assert.All(compressed.Graph.Node.Where(n => n.OpType == "Identity"), n => Assert.Equal("", n.Name));
        Assert.Equal("If", compressed.Graph.Node.Single(n => n.Name.Length > 0).OpType);
        for (var i = 0; i < 2; i++)
            OutputAssert.Same(expected[i], OrtRunner.Run(ModelFacts.Bytes(compressed), Inputs(compressed, i == 0)));
    }

    [Fact]
    public void Value_info_of_a_value_the_passes_removed_goes_and_the_rest_stays()
    {
        var original = TestModels.Ir3Model();
        // Plus_Conv is the Conv's bias Add, folded into the Conv by static int8; ReLU_Output survives as a DequantizeLinear's output.
        original.Graph.ValueInfo.Add(OnnxModelBuilder.ValueInfo("Plus_Conv", DataType.Float, 1, 2, 8, 8));
        original.Graph.ValueInfo.Add(OnnxModelBuilder.ValueInfo("ReLU_Output", DataType.Float, 1, 2, 8, 8));

        var compressed = Shortened(original, Int8(original, RandomImages(original, 16, seed: 2)));

        Assert.Equal(["ReLU_Output"], compressed.Graph.ValueInfo.Select(v => v.Name));
    }

    private void AssertShortenedFaithfully(ModelProto original, ModelProto unshortened, ModelProto shortened, IReadOnlyList<Dictionary<string, InputTensor>> runs)
    {
        Assert.Equal(ModelSignature.Inputs(unshortened).Select(Described), ModelSignature.Inputs(shortened).Select(Described));
        Assert.Equal(ModelSignature.Outputs(unshortened).Select(Described), ModelSignature.Outputs(shortened).Select(Described));

        var originalNames = OnnxGraph.NamesIn(original.Graph);
        var keptBefore = ValueNames(unshortened).Where(originalNames.Contains).Order();
        Assert.Equal(keptBefore, ValueNames(shortened).Where(originalNames.Contains).Order());
        Assert.Equal(unshortened.Graph.Node.Select(n => n.Name).Where(originalNames.Contains), shortened.Graph.Node.Select(n => n.Name).Where(n => n.Length > 0));
        var added = ValueNames(shortened).Where(n => !originalNames.Contains(n)).ToList();
        Assert.NotEmpty(added);
        Assert.All(added, name => Assert.Matches(ShortIdentifier(), name));

        var before = ModelFacts.Bytes(unshortened);
        var after = ModelFacts.Bytes(shortened);
        Assert.True(after.Length < before.Length, $"{after.Length} bytes shortened, {before.Length} before");
        foreach (var run in runs)
            OutputAssert.Same(OrtRunner.Run(before, run), OrtRunner.Run(after, run));
    }

    private static ModelProto Int8(ModelProto original, IReadOnlyList<ImageTensor> inputs)
    {
        var inputName = OnnxGraph.RealInputs(original.Graph)[0].Name;
        return StaticInt8Quantizer.Quantize(original, CalibrationSamples.From(inputs, inputName), new StaticQuantizationOptions()).Model;
    }

    private static ModelProto Shortened(ModelProto original, ModelProto compressed)
    {
        var copy = compressed.Clone();
        IntroducedNameShortener.Shorten(original, copy);
        return copy;
    }

    private static List<(string Layer, string Output, double Sqnr)> Diagnosis(ModelProto original, ModelProto compressed, IReadOnlyList<ImageTensor> inputs) =>
        LayerDiagnosis.Rank(original, compressed, inputs).Select(l => (l.NodeName, l.OutputName, l.SqnrDecibels)).ToList();

    private static string Described(TensorSignature signature) => $"{signature.Name} {signature.ElementType} [{string.Join(",", signature.Dims ?? [])}]";

    private static IEnumerable<string> ValueNames(ModelProto model) =>
        model.Graph.Node.SelectMany(n => n.Input.Concat(n.Output)).Concat(model.Graph.Initializer.Select(t => t.Name)).Where(n => n.Length > 0).Distinct();

    private static List<ImageTensor> RandomImages(ModelProto model, int count, int seed) =>
        Enumerable.Range(0, count).Select(i => RandomInputs.For(model, seed: seed + i).Values.Single())
            .Select(input => new ImageTensor((float[])input.Data, input.Shape)).ToList();

    private static List<Dictionary<string, InputTensor>> RandomRuns(ModelProto model, int count) =>
        Enumerable.Range(100, count).Select(seed => RandomInputs.For(model, seed: seed)).ToList();

    private static Dictionary<string, InputTensor> Inputs(ModelProto model, bool useScale)
    {
        var inputs = RandomInputs.For(model, seed: 7);
        inputs["use_scale"] = new InputTensor(new[] { useScale }, []);
        return inputs;
    }
}
