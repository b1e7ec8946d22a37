using System.Text;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.Onnx;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary><c>modelbuild compress</c> run out of process: exit codes, canonical error lines, no outputs left on failure.</summary>
public sealed class CompressCliTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly string _output;
    private readonly string _description;

    public CompressCliTests()
    {
        _output = _folder.File("out/Model.onnx");
        _description = _folder.File("out/Model.modeldesc");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Compresses_writes_both_outputs_and_reports_progress()
    {
        var model = WriteModel("classifier.onnx", ModelFacts.Bytes(ExtraModels.WideConv()));

        var result = Compress(model, "int8-dynamic");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.StandardError);
        Assert.Contains("modelbuild: classifier.onnx: ", result.StandardOutput);
        var compressed = OnnxModelFile.Load(_output);
        Assert.Contains(compressed.Graph.Node, n => n.OpType == "DynamicQuantizeMatMul");
        var stored = new FileInfo(_output).Length;
        Assert.True(stored < new FileInfo(model).Length / 2);
        Assert.Equal(
            "modelbuild-description\t1\n" +
            "recipe\tint8-dynamic\n" +
            $"original-bytes\t{new FileInfo(model).Length}\n" +
            $"stored-bytes\t{stored}\n" +
            "target-cpu\tportable\n" +
            "int8-scheme\tper-layer\n" +
            "opset\t13\n" +
            "input\tx\tfloat\tN,8,6,6\n" +
            "output\ty\tfloat\tN,20\n",
            File.ReadAllText(_description, Encoding.UTF8));
        Assert.Equal(["Model.modeldesc", "Model.onnx"], Directory.GetFiles(Path.GetDirectoryName(_output)!).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("int8-dynamic", "none")]
    [InlineData("fp16+huffman", "huffman")]
    public void An_already_quantized_model_is_described_by_the_recipe_that_ran_not_the_one_asked(string recipe, string described)
    {
        var model = WriteModel("quantized.onnx", ModelFacts.Bytes(ExtraModels.QuantizeDequantize()));

        var result = Compress(model, recipe);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"{model}: warning MB2001: ", Assert.Single(result.ErrorLines));
        Assert.Equal($"recipe\t{described}", File.ReadAllLines(_description)[1]);
    }

    [Fact]
    public void A_model_without_weights_to_compress_succeeds_with_warning_MB2002()
    {
        var model = WriteModel("multi.onnx", ModelFacts.Bytes(TestModels.MultiInputModel()));

        var result = Compress(model, "fp16");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"{model}: warning MB2002: ", Assert.Single(result.ErrorLines));
        Assert.True(File.Exists(_output) && File.Exists(_description));
    }

    [Fact]
    public void A_missing_model_is_MB1001_exit_1()
    {
        AssertFailsWithoutOutputs(Compress(_folder.File("absent.onnx"), "fp16"), 1, "MB1001", _folder.File("absent.onnx"));
    }

    [Fact]
    public void An_empty_model_is_MB1002_exit_1()
    {
        var model = WriteModel("empty.onnx", []);

        AssertFailsWithoutOutputs(Compress(model, "fp16"), 1, "MB1002", model);
    }

    [Fact]
    public void A_Git_LFS_pointer_is_MB1003_exit_1()
    {
        var model = WriteModel("pointer.onnx", Encoding.ASCII.GetBytes(
            "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 26454\n"));

        var result = Compress(model, "fp16");

        AssertFailsWithoutOutputs(result, 1, "MB1003", model);
        Assert.Contains("git lfs pull", result.StandardError);
    }

    [Fact]
    public void A_truncated_model_is_MB1004_exit_1()
    {
        var bytes = ModelFacts.Bytes(ExtraModels.WideConv());
        var model = WriteModel("truncated.onnx", bytes[..(bytes.Length * 2 / 3)]);

        AssertFailsWithoutOutputs(Compress(model, "fp16"), 1, "MB1004", model);
    }

    [Fact]
    public void An_unknown_recipe_is_MB1005_exit_2_and_lists_the_recipes()
    {
        var model = WriteModel("classifier.onnx", ModelFacts.Bytes(TestModels.ConvClassifier()));

        var result = Compress(model, "int5");

        AssertFailsWithoutOutputs(result, 2, "MB1005", model);
        Assert.Contains("none, fp16, int8-dynamic", result.StandardError);
    }

    /// <summary>The CLI's half of TargetCpuOptionTests (tests/ModelBuild.Tasks.Tests): the same names, the same code.</summary>
    [Fact]
    public void An_unknown_target_cpu_is_MB1015_exit_2()
    {
        var model = WriteModel("m.onnx", ModelFacts.Bytes(TestModels.MatMulModel()));

        var cli = CliProcess.Run("compress", model, "--recipe", "int8-dynamic", "--target-cpu", "x86-sse", "--output", _output, "--description", _description);

        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("error MB1015: unknown target CPU 'x86-sse': expected one of portable, x64-vnni, x64-avx2, arm64, native", cli.StandardError);
        Assert.False(File.Exists(_output));
    }

    [Fact]
    public void A_missing_option_is_MB1011_exit_2()
    {
        var model = WriteModel("classifier.onnx", ModelFacts.Bytes(TestModels.ConvClassifier()));

        var result = CliProcess.Run("compress", model, "--recipe", "fp16", "--output", _output);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("modelbuild: error MB1011: ", Assert.Single(result.ErrorLines));
        Assert.Contains("--description", result.StandardError);
        Assert.False(File.Exists(_output));
    }

    [Fact]
    public void An_output_over_the_model_is_refused_with_MB1011_and_the_model_survives()
    {
        var bytes = ModelFacts.Bytes(TestModels.ConvClassifier());
        var model = WriteModel("classifier.onnx", bytes);

        var result = CliProcess.Run("compress", model, "--recipe", "fp16", "--output", model, "--description", _description);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{model}: error MB1011: ", Assert.Single(result.ErrorLines));
        Assert.Equal(bytes, File.ReadAllBytes(model));
    }

    [Fact]
    public void An_output_that_cannot_be_written_is_MB1009_exit_1()
    {
        var model = WriteModel("classifier.onnx", ModelFacts.Bytes(TestModels.ConvClassifier()));
        var blocker = WriteModel("blocker", [1]);
        var output = Path.Combine(blocker, "Model.onnx");

        var result = CliProcess.Run("compress", model, "--recipe", "fp16", "--output", output, "--description", _description);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{output}: error MB1009: ", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(_description), "the description outlived a failed run");
    }

    private void AssertFailsWithoutOutputs(CliResult result, int exitCode, string code, string modelPath)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"{modelPath}: error {code}: ", line);
        Assert.EndsWith(".", line);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.False(File.Exists(_output), "the compressed model outlived a failed run");
        Assert.False(File.Exists(_description), "the description outlived a failed run");
    }

    /// <summary>Runs compress after leaving outputs of an earlier run in place, which a failure must remove.</summary>
    private CliResult Compress(string model, string recipe)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_output)!);
        File.WriteAllText(_output, "stale model of an earlier run");
        File.WriteAllText(_description, "stale description of an earlier run");
        return CliProcess.Run("compress", model, "--recipe", recipe, "--output", _output, "--description", _description);
    }

    private string WriteModel(string name, byte[] bytes)
    {
        var path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
