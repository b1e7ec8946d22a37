using System.Text.Json;
using ModelBuild.Compression.Tests.Datasets;
using ModelBuild.Runtime.Packing;
using ModelBuild.TestSupport;

namespace ModelBuild.Compression.Tests.Cli;

/// <summary>
/// <c>+huffman</c> recipes through the CLI, out of process: the output is a ModelBuild container described with its
/// stored and decoded sizes, budgets are checked on the stored size, and <c>inspect</c> / <c>evaluate</c> read it.
/// </summary>
public sealed class PackedCliTests : IDisposable
{
    private readonly LabeledTestImages images = new(TestModels.ConvClassifier(), count: 40, seed: 9, classCount: 4);

    public void Dispose() => images.Dispose();

    private string Output(string recipe) => images.PathOf($"out/{recipe}.onnx");

    private string Description(string recipe) => images.PathOf($"out/{recipe}.modeldesc");

    [Fact]
    public void Int8_huffman_writes_a_container_that_decodes_to_int8s_output_and_is_described_by_both_sizes()
    {
        var int8 = Compress("int8", "--calibration-data", images.Unlabeled);
        var packed = Compress("int8+huffman", "--calibration-data", images.Unlabeled);

        Assert.True(int8.ExitCode == 0, int8.ToString());
        Assert.True(packed.ExitCode == 0, packed.ToString());
        var container = File.ReadAllBytes(Output("int8+huffman"));
        var plain = File.ReadAllBytes(Output("int8"));
        Assert.Equal(plain, ModelContainer.Decode(container));
        var records = Records(Description("int8+huffman"));
        Assert.Equal("int8+huffman", records["recipe"]);
        Assert.Equal(container.Length.ToString(), records["stored-bytes"]);
        Assert.Equal(plain.Length.ToString(), records["decoded-bytes"]);
        Assert.False(Records(Description("int8")).ContainsKey("decoded-bytes"));
        Assert.Contains($"bytes of ONNX in memory", packed.StandardOutput);
    }

    /// <summary>Issue 11 item 2: weight sharing after int8 through the CLI, described by its step names.</summary>
    [Fact]
    public void Int8_cluster_huffman_writes_a_container_smaller_than_int8_huffman_described_as_such()
    {
        var int8 = Compress("int8+huffman", "--calibration-data", images.Unlabeled);
        var clustered = Compress("int8+cluster:2+huffman", "--calibration-data", images.Unlabeled);

        Assert.True(clustered.ExitCode == 0, clustered.ToString());
        Assert.Equal("int8+cluster+huffman", Records(Description("int8+cluster:2+huffman"))["recipe"]);
        Assert.True(File.ReadAllBytes(Output("int8+cluster:2+huffman")).Length < File.ReadAllBytes(Output("int8+huffman")).Length);
        Assert.Contains("cluster: layer", clustered.StandardOutput + clustered.StandardError);
    }

    /// <summary>Issue 10 item 6: the decoded ONNX beside the container, for Netron; both listed in the result file.</summary>
    [Fact]
    public void Decoded_output_writes_the_onnx_the_container_decodes_to_and_the_result_file_lists_it()
    {
        var decoded = images.PathOf("out/packed.decoded.onnx");
        var resultPath = images.PathOf("out/packed.result.json");

        var packed = Compress("int8-dynamic+huffman", "--decoded-output", decoded, "--result", resultPath);

        Assert.True(packed.ExitCode == 0, packed.ToString());
        Assert.Equal(ModelContainer.Decode(File.ReadAllBytes(Output("int8-dynamic+huffman"))), File.ReadAllBytes(decoded));
        var outputs = ModelBuild.Contracts.Results.CompressionResultFile.Read(resultPath).Outputs;
        Assert.Equal([Path.GetFullPath(Output("int8-dynamic+huffman")), decoded, Path.GetFullPath(Description("int8-dynamic+huffman"))], outputs);
    }

    [Fact]
    public void Huffman_alone_packs_the_original_losslessly()
    {
        var result = Compress("none+huffman");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(images.ModelPath), ModelContainer.Decode(File.ReadAllBytes(Output("none+huffman"))));
        Assert.Equal("huffman", Records(Description("none+huffman"))["recipe"]);
    }

    [Fact]
    public void A_size_budget_is_checked_on_the_stored_container_not_the_decoded_model()
    {
        var plain = Compress("int8-dynamic");
        var plainBytes = new FileInfo(Output("int8-dynamic")).Length;

        var packed = Compress("int8-dynamic+huffman", "--evaluation-data", images.Labeled, "--max-size", (plainBytes - 1).ToString());

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(packed.ExitCode == 0, packed.ToString());
        Assert.True(new FileInfo(Output("int8-dynamic+huffman")).Length < plainBytes);
    }

    [Fact]
    public void Inspect_reads_a_container_and_says_so_with_both_sizes()
    {
        Assert.Equal(0, Compress("fp16+huffman").ExitCode);
        var path = Output("fp16+huffman");
        var stored = new FileInfo(path).Length;
        var decoded = ModelContainer.Decode(File.ReadAllBytes(path)).Length;

        var text = CliProcess.Run("inspect", path);
        var json = CliProcess.Run("inspect", path, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"stored: ModelBuild container (format {ModelContainerFormat.Version}), {stored:N0} bytes stored, {decoded:N0} bytes of ONNX in memory", text.StandardOutput);
        Assert.Contains("input: image float [N,1,8,8]", text.StandardOutput);
        using var document = JsonDocument.Parse(json.StandardOutput);
        var container = document.RootElement.GetProperty("container");
        Assert.Equal(stored, container.GetProperty("storedBytes").GetInt64());
        Assert.Equal(decoded, container.GetProperty("decodedBytes").GetInt64());
    }

    [Fact]
    public void Evaluate_measures_a_container_at_its_stored_size()
    {
        Assert.Equal(0, Compress("fp16+huffman").ExitCode);
        var path = Output("fp16+huffman");

        var result = CliProcess.Run("evaluate", images.ModelPath, path, "--evaluation-data", images.Labeled, "--latency-rounds", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{new FileInfo(path).Length:N0}", result.StandardOutput.Split('\n').Single(l => l.StartsWith("stored bytes", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_damaged_container_is_MB1022_exit_1_for_inspect()
    {
        Assert.Equal(0, Compress("huffman").ExitCode);
        var path = Output("huffman");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var result = CliProcess.Run("inspect", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{path}: error MB1022: the file is a ModelBuild container (a '+huffman' recipe's output) that cannot be decoded: ", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("huffman+int8")]
    [InlineData("auto+huffman")]
    [InlineData("shrink:0.7+huffman")]
    public void A_bad_composition_is_MB1005_exit_2(string recipe)
    {
        var result = Compress(recipe);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error MB1005: unknown recipe '{recipe}'", result.StandardError);
        Assert.False(File.Exists(Output(recipe)));
    }

    private CliResult Compress(string recipe, params string[] extra) =>
        CliProcess.Run(["compress", images.ModelPath, "--recipe", recipe, "--output", Output(recipe), "--description", Description(recipe), .. extra]);

    private static Dictionary<string, string> Records(string description) =>
        File.ReadAllLines(description).Select(line => line.Split('\t')).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
}
