using System.Text.Json;
using ModelBuild.Compression.Tests.Support;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary><c>modelbuild inspect</c> run out of process.</summary>
public sealed class InspectCliTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Json_report_holds_signature_weights_and_quantization()
    {
        var model = TestModels.ConvClassifier();
        var path = _folder.File("classifier.onnx");
        File.WriteAllBytes(path, ModelFacts.Bytes(model));

        var result = CliProcess.Run("inspect", path, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(ModelFacts.WeightElements(model), root.GetProperty("weightElements").GetInt64());
        Assert.Equal(ModelFacts.WeightBytes(model), root.GetProperty("weightBytes").GetInt64());
        Assert.False(root.GetProperty("isQuantized").GetBoolean());
        Assert.Equal("image", root.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal(13, root.GetProperty("opsets")[0].GetProperty("version").GetInt64());
        Assert.Equal(["Gemm", "Conv"], root.GetProperty("weightsByOperator").EnumerateArray().Select(e => e.GetProperty("operatorType").GetString()));
    }

    [Fact]
    public void Text_report_names_the_input_and_the_weight_total()
    {
        var path = _folder.File("classifier.onnx");
        File.WriteAllBytes(path, ModelFacts.Bytes(TestModels.ConvClassifier()));

        var result = CliProcess.Run("inspect", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("input: image float [N,1,8,8]", result.StandardOutput);
        Assert.Contains("weights: 300 values in 4 tensors, 1,200 bytes", result.StandardOutput);
        Assert.Contains("already quantized: no", result.StandardOutput);
    }

    [Fact]
    public void A_missing_model_is_MB1001_exit_1()
    {
        var path = _folder.File("absent.onnx");

        var result = CliProcess.Run("inspect", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{path}: error MB1001: ", Assert.Single(result.ErrorLines));
    }

    [ZooFact]
    public void The_pruned_family_model_is_reported_as_pruned_with_its_zeros_per_layer()
    {
        var result = CliProcess.Run("inspect", Zoo.PathOf("fashion-mnist-family", "fmnist-bn-cnn-pruned85.onnx"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("sparsity: 397,365 of 467,488 layer weights are exactly zero (85.00 %) in 6 layers: looks pruned (at least 50 % exact zeros)", result.StandardOutput);
        Assert.Matches(@"/fc1/Gemm\s+Gemm\s+401,408 weights\s+358,140 zeros\s+89.22 %", result.StandardOutput);
    }

    [ZooFact]
    public void The_zoo_MobileNet_is_reported_as_already_quantized()
    {
        var result = CliProcess.Run("inspect", Zoo.PathOf("imagenet", "mobilenetv2-12-int8.onnx"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("already quantized: yes (", result.StandardOutput);
        Assert.Contains("QLinearConv", result.StandardOutput);
    }
}
