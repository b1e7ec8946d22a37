using ModelBuild.Generators.Tests.Infrastructure;

namespace ModelBuild.Generators.Tests.Snapshots;

/// <summary>The exact generated code for each shape of model, compared with the committed baselines beside this file.</summary>
public sealed class GeneratedClassTests
{
    [Fact]
    public void OneInputOneOutput() => Verify(nameof(OneInputOneOutput), DescribedModel.Of("Digits", DescriptionText.Of(
        "int8-dynamic", 26454, 9012,
        "input|Input3|float|1,1,28,28",
        "output|Plus214_Output_0|float|1,10")));

    [Fact]
    public void SeveralInputs() => Verify(nameof(SeveralInputs), DescribedModel.Of("Blend", DescriptionText.Of(
        "fp16", 4000, 2100,
        "input|image|float|1,3,4,4",
        "input|scale|double|1",
        "input|steps|int32|",
        "output|result|float|1,3,4,4",
        "output|flags|bool|1,3")));

    [Fact]
    public void DynamicDimensions() => Verify(nameof(DynamicDimensions), DescribedModel.Of("Tagger", DescriptionText.Of(
        "none", 1000, 1000,
        "input|tokens|int64|batch,sequence",
        "input|attention_mask|int64|batch,sequence",
        "input|image|float|batch,3,?,?",
        "input|extra|float|*",
        "output|logits|float|batch,sequence,10")));

    [Fact]
    public void NamesNeedingSanitizing() => Verify(nameof(NamesNeedingSanitizing), DescribedModel.Of("Sanitized", DescriptionText.Of(
        "none", 1000, 1000,
        "input|input.1|float|1,3",
        "input|input_1|float|1,3",
        "input|class|float|1,3",
        "input|1st/layer:0|int8|1",
        "input|runOptions|float|1",
        "input|batch size|float|batch size",
        "output|208|float|1,10",
        "output|ToString|float|1",
        "output|output/0|float|1",
        "output|output:0|float|1",
        "output|SanitizedOutput|float|1",
        "output|<b>&amp;|float|1")));

    [Fact]
    public void Uint8AndInt64() => Verify(nameof(Uint8AndInt64), DescribedModel.Of("Labeler", DescriptionText.Of(
        "int8-dynamic", 5000, 1500,
        "input|pixels|uint8|1,28,28",
        "input|ids|int64|4",
        "output|label|int64|1",
        "output|mask|uint8|1,28,28")));

    [Fact]
    public void Int8FullQuantizedBoundary() => Verify(nameof(Int8FullQuantizedBoundary), DescribedModel.Of("Fashion", DescriptionText.Of(
        "int8-full", 3583479, 920000,
        "input|input|uint8|N,1,28,28",
        "input|info|uint8|1",
        "output|output|uint8|N,10",
        "output|features|float|N,64",
        "quantization|input|input|0.007843138|128",
        "quantization|input|info|1E-05|0",
        "quantization|output|output|0.12345679|97")));

    [Fact]
    public void PackedContainer() => Verify(nameof(PackedContainer), DescribedModel.Of("Digits", DescriptionText.Lines(
        "modelbuild-description|1", "recipe|int8+huffman", "original-bytes|26454", "stored-bytes|7046", "decoded-bytes|8650", "opset|13",
        "input|Input3|float|1,1,28,28",
        "output|Plus214_Output_0|float|1,10")));

    [Fact]
    public void Int8TargetAndScheme() => Verify(nameof(Int8TargetAndScheme), DescribedModel.Of("Digits", DescriptionText.Lines(
        "modelbuild-description|1", "recipe|int8+huffman", "original-bytes|26454", "stored-bytes|7046", "decoded-bytes|8650",
        "target-cpu|portable", "int8-scheme|u8s7", "opset|13",
        "input|Input3|float|1,1,28,28",
        "output|Plus214_Output_0|float|1,10")));

    [Fact]
    public void QuantizationAwareTrainingFolded() => Verify(nameof(QuantizationAwareTrainingFolded), DescribedModel.Of("Clothes", DescriptionText.Lines(
        "modelbuild-description|1", "recipe|none", "original-bytes|1891420", "stored-bytes|483950",
        "target-cpu|x64-vnni", "int8-scheme|u8s8",
        "quantization-aware-training|6 fake-quantized float weights folded into their int8 integers, 12 Div/Add/BatchNormalization nodes folded into Conv weight scales and biases",
        "opset|13",
        "input|image|float|batch,1,28,28",
        "output|logits|float|batch,10")));

    [Fact]
    public void OtherElementTypes() => Verify(nameof(OtherElementTypes), DescribedModel.Of("Mixed", DescriptionText.Of(
        "none", 100, 100,
        "input|half|float16|2",
        "input|short|int16|2",
        "input|word|uint16|2",
        "input|signed|int8|2",
        "output|wide|uint32|2",
        "output|huge|uint64|2",
        "output|precise|double|2")));

    [Fact]
    public void GlobalNamespace() => Verify(nameof(GlobalNamespace), DescribedModel.Of("Scorer", DescriptionText.Of(
        "none", 100, 100,
        "input|x|float|2",
        "output|y|float|2"), @namespace: ""));

    [Theory]
    [InlineData("/home/builder/src/app/Models/Digits.onnx")]
    [InlineData(@"C:\agent\_work\1\s\app\Models\Digits.onnx")]
    public void A_rooted_model_path_reaches_the_docs_as_its_file_name_only(string sourcePath)
    {
        var model = DescribedModel.Of("Digits", DescriptionText.Of("fp16", 1000, 600, "input|x|float|1,4", "output|y|float|1,2")) with { SourcePath = sourcePath };

        var source = GeneratorHarness.Run([model]).Source("Sample.Models.Digits.g.cs");

        Assert.Contains("/// Runs the model <c>Digits.onnx</c> (embedded with recipe <c>fp16</c>)", source);
        Assert.DoesNotContain("builder", source);
        Assert.DoesNotContain("agent", source);
    }

    private static void Verify(string name, DescribedModel model)
    {
        var run = GeneratorHarness.Run([model]);
        Assert.Empty(run.GeneratorDiagnostics);
        var hintName = (model.Namespace.Length == 0 ? "" : model.Namespace + ".") + model.ClassName + ".g.cs";
        var source = run.Source(hintName);
        run.AssertCompilesCleanly();
        Snapshot.Match(source, $"{nameof(GeneratedClassTests)}.{name}");
    }
}
