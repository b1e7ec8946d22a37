using ModelBuild.Compression.Data;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Compression.Tests.Packing;

/// <summary>
/// Every zoo model packed: <c>huffman</c> gives back the original file bit for bit in fewer bytes, and
/// <c>int8+huffman</c> gives back <c>int8</c>'s model, which ONNX Runtime runs to the same outputs.
/// </summary>
public sealed class ZooPackingTests(ITestOutputHelper output)
{
    [ZooTheory]
    [MemberData(nameof(ZooModelFiles.All), MemberType = typeof(ZooModelFiles))]
    public void Huffman_packs_the_original_losslessly_in_fewer_bytes(string folder, string file)
    {
        var path = Zoo.PathOf(folder, file);
        var bytes = File.ReadAllBytes(path);

        // For x64-vnni a model quantized elsewhere stays as it is; portable may re-express its int8 weights (UInt8WeightRewriterTests).
        var result = ModelCompressor.Compress(OnnxModelFile.Parse(bytes, path), Recipe.Huffman, new CompressionSettings { Target = global::ModelBuild.Compression.Targets.TargetCpu.X64Vnni });

        var container = result.Container!;
        Assert.Empty(result.Warnings);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var decoded = ModelContainer.Decode(container);
        var decodeTime = clock.Elapsed;
        Assert.Equal(bytes, decoded);
        output.WriteLine($"{file}: {bytes.Length:N0} -> {container.Length:N0} bytes stored ({(double)container.Length / bytes.Length:P1}), decoded in {decodeTime.TotalMilliseconds:F0} ms");
        Assert.True(container.Length < bytes.Length);
    }

    [ZooTheory]
    [InlineData("mnist", "mnist-8.onnx")]
    [InlineData("fashion-mnist", "fashion-mnist-cnn.onnx")]
    [InlineData("cifar10", "resnet20.onnx")]
    [InlineData("imagenet", "mobilenetv2-12-int8.onnx")]
    [InlineData("ocr", "ch_PP-OCRv4_rec_infer.onnx")]
    public void Int8_huffman_decodes_to_int8s_model_and_runs_the_same(string folder, string file)
    {
        var original = OnnxModelFile.Load(Zoo.PathOf(folder, file));
        var inputs = ZooModelFiles.Inputs(original, file);
        var calibration = inputs.Values.Select(i => new ImageTensor((float[])i.Data, i.Shape)).ToList();
        var settings = new CompressionSettings { CalibrationInputs = calibration, Int8 = new() { ExcludeOps = new HashSet<string>(["Add", "Mul"]) } };

        var packed = ModelCompressor.Compress(original, Recipe.Parse("int8+huffman"), settings);
        var plain = OnnxModelFile.ToBytes(ModelCompressor.Compress(original, Recipe.Int8, settings).Model);

        var decoded = ModelContainer.Decode(packed.Container!);
        Assert.Equal(plain, decoded);
        OutputAssert.Same(OrtRunner.Run(plain, inputs), OrtRunner.Run(decoded, inputs));
        output.WriteLine($"{file}: int8 {plain.Length:N0} bytes, int8+huffman {packed.Container!.Length:N0} bytes stored ({(double)packed.Container.Length / plain.Length:P1})");
        Assert.True(packed.Container.Length < plain.Length);
    }
}
