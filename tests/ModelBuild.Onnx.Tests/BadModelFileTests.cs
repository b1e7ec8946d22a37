using System.Text;
using Google.Protobuf;
using ModelBuild.Onnx.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

/// <summary>Every way a model file can be wrong gives an <see cref="OnnxModelException"/> with its code and path.</summary>
public class BadModelFileTests
{
    [Fact]
    public void Missing_file_is_MB1001()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("absent.onnx");

        var error = LoadFails(path, "MB1001");

        Assert.Contains(Path.GetFullPath(path), error.Detail);
    }

    [Fact]
    public void A_folder_instead_of_a_file_is_MB1001_and_says_so()
    {
        using var folder = new TemporaryFolder();

        var error = LoadFails(folder.Path, "MB1001");

        Assert.Contains("found a folder", error.Detail);
    }

    [Fact]
    public void Empty_file_is_MB1002()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("empty.onnx");
        File.WriteAllBytes(path, []);

        LoadFails(path, "MB1002");
    }

    [Fact]
    public void Git_lfs_pointer_is_MB1003_and_shows_what_was_found()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("pointer.onnx");
        File.WriteAllText(path,
            "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 26454\n");

        var error = LoadFails(path, "MB1003");

        Assert.Contains("git lfs pull", error.Detail);
        Assert.Contains("version https://git-lfs.github.com/spec/v1", error.Detail);
    }

    [Fact]
    public void Every_truncation_of_an_in_code_model_is_rejected()
    {
        var bytes = OnnxModelFile.ToBytes(TestModels.ConvClassifier());

        for (var length = 1; length < bytes.Length; length++)
        {
            var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.Parse(bytes[..length], "cut.onnx"));
            Assert.True(error.Code == "MB1004", $"cut at {length} of {bytes.Length} bytes gave {error.Code}: {error.Detail}");
            Assert.Equal("cut.onnx", error.FilePath);
        }
    }

    [ZooTheory]
    [InlineData("mnist/mnist-8.onnx")]
    [InlineData("cifar10/resnet20.onnx")]
    [InlineData("ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx")]
    public void A_zoo_model_cut_in_half_is_MB1004(string relativePath)
    {
        var bytes = File.ReadAllBytes(Zoo.PathOf(relativePath));
        using var folder = new TemporaryFolder();
        var path = folder.File("half.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = LoadFails(path, "MB1004");

        Assert.Contains("truncated", error.Detail);
    }

    [ZooFact]
    public void Mnist_cut_anywhere_is_rejected()
    {
        var bytes = File.ReadAllBytes(Zoo.PathOf("mnist", "mnist-8.onnx"));

        // A prime stride visits cuts inside every part of the file (header, nodes, weights, trailing opset) quickly.
        for (var length = 1; length < bytes.Length; length += 37)
        {
            var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.Parse(bytes[..length], "mnist-cut.onnx"));
            Assert.True(error.Code == "MB1004", $"cut at {length} gave {error.Code}: {error.Detail}");
        }
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 1000)]
    [InlineData(3, 100_000)]
    public void Random_bytes_are_MB1004(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);

        var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.Parse(bytes, "noise.onnx"));

        Assert.Equal("MB1004", error.Code);
        Assert.Equal("noise.onnx", error.FilePath);
    }

    [Fact]
    public void Random_bytes_from_many_seeds_never_pass_as_a_model()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var bytes = new byte[64 + seed];
            new Random(seed).NextBytes(bytes);
            var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.Parse(bytes, "noise.onnx"));
            Assert.True(error.Code == "MB1004", $"seed {seed} gave {error.Code}: {error.Detail}");
        }
    }

    [Fact]
    public void A_valid_protobuf_that_is_not_a_model_is_MB1004()
    {
        var tensorBytes = TensorData.FromFloats("w", [2, 2], [1, 2, 3, 4]).ToByteArray();
        var graphBytes = TestModels.ConvClassifier().Graph.ToByteArray();

        Assert.Equal("MB1004", Assert.Throws<OnnxModelException>(() => OnnxModelFile.Parse(tensorBytes, "tensor.pb")).Code);
        var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.Parse(graphBytes, "graph.pb"));
        Assert.Equal("MB1004", error.Code);
        Assert.Contains("probably not an ONNX model", error.Detail);
    }

    [Fact]
    public void Ir_version_zero_is_MB1004()
    {
        var model = TestModels.MatMulModel();
        model.IrVersion = 0;

        var error = ParseFails(model, "MB1004");

        Assert.Contains("ir_version is 0", error.Detail);
    }

    [Fact]
    public void A_node_reading_a_value_nobody_makes_is_MB1004_naming_both()
    {
        var model = TestModels.MatMulModel();
        model.Graph.Node[0].Input[1] = "no_such_weight";

        var error = ParseFails(model, "MB1004");

        Assert.Contains("no_such_weight", error.Detail);
        Assert.Contains(model.Graph.Node[0].Name, error.Detail);
    }

    [Fact]
    public void A_graph_output_nobody_makes_is_MB1004()
    {
        var model = TestModels.MatMulModel();
        model.Graph.Output[0].Name = "dangling";

        Assert.Contains("dangling", ParseFails(model, "MB1004").Detail);
    }

    [Fact]
    public void A_value_produced_twice_is_MB1004()
    {
        var model = TestModels.MatMulModel();
        model.Graph.Node[1].Output[0] = model.Graph.Node[0].Output[0];

        Assert.Contains("produced twice", ParseFails(model, "MB1004").Detail);
    }

    [Fact]
    public void A_node_without_op_type_is_MB1004()
    {
        var model = TestModels.ConvClassifier();
        model.Graph.Node[1].OpType = "";

        Assert.Contains("no op_type", ParseFails(model, "MB1004").Detail);
    }

    [Fact]
    public void An_initializer_whose_bytes_disagree_with_its_dims_is_MB1004_with_both_sizes()
    {
        var model = TestModels.MatMulModel();
        var weight = model.Graph.Initializer[0];
        weight.RawData = ByteString.CopyFrom(weight.RawData.Span[..^4]);

        var error = ParseFails(model, "MB1004");

        Assert.Contains(weight.Name, error.Detail);
        Assert.Contains($"{16 * 32 * 4 - 4} bytes", error.Detail);
        Assert.Contains($"need {16 * 32 * 4}", error.Detail);
    }

    [Fact]
    public void A_constant_tensor_with_too_few_values_is_MB1004()
    {
        var model = TestModels.ConstantWeightsModel();
        var constant = model.Graph.Node.First(n => n.OpType == "Constant").Attribute[0].T;
        constant.Dims[0] += 1;

        Assert.Contains(constant.Name, ParseFails(model, "MB1004").Detail);
    }

    [Fact]
    public void Missing_external_data_file_is_MB1008()
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        File.Delete(folder.File("external.weights"));

        var error = LoadFails(path, "MB1008");

        Assert.Contains("external.weights", error.Detail);
    }

    [Fact]
    public void Short_external_data_file_is_MB1008_with_the_sizes()
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        var dataPath = folder.File("external.weights");
        var data = File.ReadAllBytes(dataPath);
        File.WriteAllBytes(dataPath, data[..(data.Length - 1)]);

        var error = LoadFails(path, "MB1008");

        Assert.Contains($"only {data.Length - 1} bytes", error.Detail);
    }

    [Fact]
    public void External_data_outside_the_model_folder_is_refused()
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.Graph.Initializer[0].ExternalData.Single(e => e.Key == "location").Value = "../external.weights";
        File.WriteAllBytes(path, model.ToByteArray());

        var error = LoadFails(path, "MB1004");

        Assert.Contains("../external.weights", error.Detail);
    }

    [Fact]
    public void External_data_through_a_symbolic_link_to_a_file_outside_the_folder_is_MB1008_naming_the_link()
    {
        using var folder = new TemporaryFolder();
        var models = folder.File("models");
        var path = TestModels.ExternalDataModel(models);
        var secret = folder.File("secret.weights");
        File.Move(Path.Combine(models, "external.weights"), secret);
        File.CreateSymbolicLink(Path.Combine(models, "external.weights"), secret);

        var error = LoadFails(path, "MB1008");

        Assert.Contains($"symbolic link {Path.Combine(models, "external.weights")}", error.Detail);
        Assert.Contains("expected a plain file inside the model's folder", error.Detail);
    }

    [Fact]
    public void External_data_in_a_linked_folder_is_MB1008_naming_the_folder_link()
    {
        using var folder = new TemporaryFolder();
        var models = folder.File("models");
        var path = TestModels.ExternalDataModel(models);
        Directory.CreateDirectory(folder.File("elsewhere"));
        File.Move(Path.Combine(models, "external.weights"), folder.File("elsewhere/external.weights"));
        Directory.CreateSymbolicLink(Path.Combine(models, "weights"), folder.File("elsewhere"));
        SetExternal(path, "location", "weights/external.weights");

        var error = LoadFails(path, "MB1008");

        Assert.Contains($"symbolic link {Path.Combine(models, "weights")}", error.Detail);
    }

    [Fact]
    public void A_link_to_a_file_inside_the_folder_is_refused_too()
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        File.Move(folder.File("external.weights"), folder.File("real.weights"));
        File.CreateSymbolicLink(folder.File("external.weights"), "real.weights");

        LoadFails(path, "MB1008");
    }

    [Fact]
    public void A_fifo_as_external_data_is_MB1008_at_once_instead_of_waiting_for_a_writer()
    {
        if (OperatingSystem.IsWindows())
            return; // no FIFOs in the file system there
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        File.Delete(folder.File("external.weights"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", folder.File("external.weights")))
            mkfifo.WaitForExit();

        var load = Task.Run(() => Assert.Throws<OnnxModelException>(() => OnnxModelFile.Load(path)));

        Assert.True(load.Wait(TimeSpan.FromSeconds(30)), "loading a model whose external data is a FIFO still waits for a writer");
        Assert.Equal("MB1008", load.Result.Code);
        Assert.Contains("not a regular file", load.Result.Detail);
        Assert.Contains("external.weights", load.Result.Detail);
    }

    [Theory]
    [InlineData("offset", "9223372036854775807")]
    [InlineData("length", "9223372036854775807")]
    [InlineData("offset", "9223372036854775000")]
    public void An_offset_or_length_that_overflows_is_MB1008_with_the_sizes(string key, string value)
    {
        using var folder = new TemporaryFolder();
        var path = TestModels.ExternalDataModel(folder.Path);
        SetExternal(path, key, value);

        var error = LoadFails(path, "MB1008");

        Assert.Contains(value, error.Detail);
        Assert.Contains($"only {new FileInfo(folder.File("external.weights")).Length} bytes", error.Detail);
    }

    // Sets one external_data key of the model's first initializer.
    private static void SetExternal(string path, string key, string value)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.Graph.Initializer[0].ExternalData.Single(e => e.Key == key).Value = value;
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static OnnxModelException LoadFails(string path, string code)
    {
        var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.Load(path));
        Assert.Equal(code, error.Code);
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith($"{path}: {code}: ", error.Message);
        return error;
    }

    private static OnnxModelException ParseFails(ModelProto model, string code)
    {
        var error = Assert.Throws<OnnxModelException>(() => OnnxModelFile.Parse(model.ToByteArray(), "bad.onnx"));
        Assert.Equal(code, error.Code);
        Assert.Equal("bad.onnx", error.FilePath);
        return error;
    }
}
