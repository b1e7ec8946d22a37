using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>The CLI on real zoo models: the already-quantized pass-through and a Constant-weight OCR model.</summary>
public sealed class ZooCompressCliTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [ZooFact]
    public void An_already_quantized_model_is_passed_through_with_warning_MB2001()
    {
        var model = Zoo.PathOf("imagenet", "mobilenetv2-12-int8.onnx");
        var output = _folder.File("MobileNet.onnx");

        var result = CliProcess.Run("compress", model, "--recipe", "int8-dynamic", "--output", output, "--description", _folder.File("MobileNet.modeldesc"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"{model}: warning MB2001: ", Assert.Single(result.ErrorLines));
        // Not quantized again; for the portable target it keeps its full-range int8 weights (the u8 x s8 speed), and
        // the generated class makes them exact on CPUs that saturate.
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(output));
        Assert.Contains("int8-scheme\tu8s8\n", File.ReadAllText(_folder.File("MobileNet.modeldesc")));

        // For x64-avx2, where they would run at u8 x u8 speed anyway, they are re-expressed as uint8 in place.
        var avx2 = _folder.File("MobileNet-avx2.onnx");
        var reexpressed = CliProcess.Run("compress", model, "--recipe", "int8-dynamic", "--target-cpu", "x64-avx2", "--output", avx2, "--description", _folder.File("MobileNet-avx2.modeldesc"));
        Assert.True(reexpressed.ExitCode == 0, reexpressed.ToString());
        Assert.Contains("re-expressed", Assert.Single(reexpressed.ErrorLines));
        Assert.Equal(new FileInfo(model).Length, new FileInfo(avx2).Length);
        Assert.Contains("int8-scheme\tu8u8\n", File.ReadAllText(_folder.File("MobileNet-avx2.modeldesc")));
    }

    [ZooFact]
    public void A_fake_quantized_qat_export_given_calibration_data_is_folded_with_MB2001_only_and_described_as_calibrated_quantization_aware_training()
    {
        var model = Zoo.PathOf("fashion-mnist-family", "fmnist-bn-cnn-qat-fakequant.onnx");
        var description = _folder.File("Clothes.modeldesc");

        var result = CliProcess.Run("compress", model, "--recipe", "int8+huffman", "--calibration-data", Zoo.PathOf("fashion-mnist", "t10k-images-idx3-ubyte.gz"),
            "--calibration-count", "4", "--output", _folder.File("Clothes.onnx"), "--description", description);

        Assert.True(result.ExitCode == 0, result.ToString());
        // The missing Q/DQ are measured on the calibration data, so nothing was guessed from a neighbour (no MB2008).
        Assert.StartsWith($"{model}: warning MB2001: ", Assert.Single(result.ErrorLines));
        Assert.Contains("missing QuantizeLinear/DequantizeLinear completed from calibration data: ", result.StandardOutput);
        var text = File.ReadAllText(description);
        Assert.Contains("recipe\thuffman\n", text);
        Assert.Contains("quantization-aware-training\t6 fake-quantized float weights folded into their int8 integers, 12 Div/Add/BatchNormalization", text);
        Assert.Contains("3 missing QuantizeLinear/DequantizeLinear pairs completed on ranges calibrated on 4 inputs", text);
    }

    [ZooFact]
    public void The_PP_OCR_recognizer_with_weights_in_Constant_nodes_is_stored_in_about_a_quarter()
    {
        var model = Zoo.PathOf("ocr", "ch_PP-OCRv4_rec_infer.onnx");
        var output = _folder.File("Recognizer.onnx");

        var result = CliProcess.Run("compress", model, "--recipe", "int8-dynamic", "--output", output, "--description", _folder.File("Recognizer.modeldesc"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Constant nodes moved to initializers", result.StandardOutput);
        Assert.InRange((double)new FileInfo(output).Length / new FileInfo(model).Length, 0.2, 0.3);
        Assert.DoesNotContain(OnnxModelFile.Load(output).Graph.Node, n => n.OpType == "ConvInteger");
    }
}
