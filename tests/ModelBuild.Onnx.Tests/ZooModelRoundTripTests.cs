using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

/// <summary>Every real model in the zoo survives load, save and reload: same bytes, equal messages, same outputs.</summary>
public class ZooModelRoundTripTests
{
    /// <summary>Sizes for dimensions the models leave open (the OCR models' spatial sizes); batch is 1 elsewhere.</summary>
    private static readonly Dictionary<string, long[]> OpenShapes = new()
    {
        ["ch_PP-OCRv4_det_infer.onnx"] = [1, 3, 320, 320],
        ["ch_PP-OCRv4_rec_infer.onnx"] = [1, 3, 48, 320],
        ["ch_ppocr_mobile_v2.0_cls_infer.onnx"] = [1, 3, 48, 192],
    };

    public static TheoryData<string> ZooModels() => new(ZooModelPaths());

    /// <summary>Every *.onnx under the zoo, relative to it; none when the zoo is absent.</summary>
    private static List<string> ZooModelPaths() => Zoo.IsPresent
        ? Directory.GetFiles(Zoo.Root, "*.onnx", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Zoo.Root, path))
            .Order(StringComparer.Ordinal)
            .ToList()
        : [];

    [ZooFact]
    public void The_zoo_holds_the_thirteen_models_the_readmes_list()
    {
        var names = ZooModelPaths().Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx",
             "fashion-mnist-cnn.onnx", "fmnist-bn-cnn-pruned85.onnx", "fmnist-bn-cnn-qat-fakequant.onnx", "fmnist-bn-cnn-qat.onnx",
             "fmnist-bn-cnn.onnx", "fmnist-student-kd.onnx", "fmnist-student.onnx",
             "mnist-8.onnx", "mobilenetv2-12-int8.onnx", "resnet20.onnx"],
            names);
    }

    [ZooTheory]
    [MemberData(nameof(ZooModels))]
    public void Saved_copy_has_the_same_bytes_and_runs_the_same(string relativePath)
    {
        var originalPath = Zoo.PathOf(relativePath);
        using var folder = new TemporaryFolder();
        var copyPath = folder.File(Path.GetFileName(relativePath));

        var loaded = OnnxModelFile.Load(originalPath);
        OnnxModelFile.SaveAtomic(loaded, copyPath);
        var reloaded = OnnxModelFile.Load(copyPath);

        Assert.Equal(loaded, reloaded);
        Assert.True(File.ReadAllBytes(originalPath).AsSpan().SequenceEqual(File.ReadAllBytes(copyPath)),
            $"{relativePath}: the re-serialized model differs from the original bytes");
        var inputs = InputsFor(loaded, relativePath);
        OutputAssert.Same(OrtRunner.Run(originalPath, inputs), OrtRunner.Run(copyPath, inputs));
    }

    [ZooTheory]
    [MemberData(nameof(ZooModels))]
    public void Hoisting_constants_keeps_the_outputs(string relativePath)
    {
        var originalPath = Zoo.PathOf(relativePath);
        var model = OnnxModelFile.Load(originalPath);
        var constantsBefore = model.Graph.Node.Count(n => n.OpType == "Constant");
        var initializersBefore = model.Graph.Initializer.Count;

        var hoisted = OnnxGraph.HoistConstants(model);

        Assert.Equal(initializersBefore + hoisted, model.Graph.Initializer.Count);
        Assert.Equal(constantsBefore - hoisted, model.Graph.Node.Count(n => n.OpType == "Constant"));
        var inputs = InputsFor(model, relativePath);
        OutputAssert.Same(OrtRunner.Run(originalPath, inputs), OrtRunner.Run(OnnxModelFile.ToBytes(model), inputs));
    }

    [ZooTheory]
    [InlineData("ocr/ch_PP-OCRv4_det_infer.onnx")]
    [InlineData("ocr/ch_PP-OCRv4_rec_infer.onnx")]
    [InlineData("ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx")]
    public void The_ocr_models_keep_every_weight_in_constant_nodes_until_hoisted(string relativePath)
    {
        var model = OnnxModelFile.Load(Zoo.PathOf(relativePath));
        Assert.Empty(model.Graph.Initializer);

        OnnxGraph.HoistConstants(model);

        var weights = model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).ToList();
        Assert.Contains(model.Graph.Node, n => n.OpType == "Conv" && weights.Any(w => w.Name == n.Input[1]));
        Assert.True(weights.Sum(TensorData.ElementCount) > 100_000, $"{relativePath}: expected over 100,000 float weights after hoisting");
    }

    [ZooFact]
    public void Mnist_signature_matches_the_zoo_readme()
    {
        var model = OnnxModelFile.Load(Zoo.PathOf("mnist", "mnist-8.onnx"));

        Assert.Equal(3, model.IrVersion);
        Assert.Equal(8, OnnxGraph.OpsetVersion(model));
        var input = Assert.Single(ModelSignature.Inputs(model));
        Assert.Equal(new TensorSignature("Input3", "float", null), input with { Dims = null });
        Assert.Equal(["1", "1", "28", "28"], input.Dims!);
        var output = Assert.Single(ModelSignature.Outputs(model));
        Assert.Equal("Plus214_Output_0", output.Name);
        Assert.Equal(["1", "10"], output.Dims!);
        // The readme's 5,998 weights: 5,994 float parameters plus the two int64 Reshape shapes of 2 values each.
        Assert.Equal(5998, model.Graph.Initializer.Sum(TensorData.ElementCount));
        Assert.Equal(5994, model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).Sum(TensorData.ElementCount));
    }

    private static Dictionary<string, InputTensor> InputsFor(ModelProto model, string relativePath)
    {
        var shapes = OpenShapes.TryGetValue(Path.GetFileName(relativePath), out var shape)
            ? new Dictionary<string, long[]> { [ModelSignature.Inputs(model)[0].Name] = shape }
            : null;
        return RandomInputs.For(model, seed: 3, dynamicSize: 1, shapes: shapes);
    }
}
