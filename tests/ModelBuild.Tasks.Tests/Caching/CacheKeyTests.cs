using ModelBuild.Tasks.Caching;
using ModelBuild.Tasks.ExternalData;
using ModelBuild.TestSupport;

namespace ModelBuild.Tasks.Tests.Caching;

/// <summary>
/// The compression cache's key over real files: one project with a model, a settings stamp as the targets write it,
/// two data files, and a CLI folder. Changing any one input changes the key, or, for the data files a run read, the
/// data manifest an entry under the key must match; moving the project changes neither.
/// </summary>
public sealed class CacheKeyTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Writes a project under <paramref name="name"/> and returns the inputs of its key.</summary>
    private KeyInputs Project(string name = "app")
    {
        var project = Path.Combine(folder.Path, name);
        var inputs = new KeyInputs(project);
        Write(inputs.ModelPath, [1, 2, 3, 4]);
        Write(inputs.DataFiles[0], [10, 11]);
        Write(inputs.DataFiles[1], [20, 21, 22]);
        Write(inputs.CliPath, [30, 31]);
        Write(Path.Combine(Path.GetDirectoryName(inputs.CliPath)!, "ModelBuild.Compression.dll"), [40, 41]);
        inputs.Stamp = Stamp(project, maxSize: "1MB", tool: "0.1.0+abc");
        return inputs;
    }

    private static string Stamp(string project, string maxSize, string tool, string modelPath = "Models/digits.onnx") =>
        string.Join("\n",
            "recipe=int8",
            "class=Digits",
            $"source={Path.Combine(project, modelPath)}",
            $"tool={tool}",
            $"calibration-data={Path.Combine(project, "data", "calibration")}",
            $"max-size={maxSize}",
            "data-file-list=0123456789abcdef") + "\n";

    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void The_same_inputs_give_the_same_key_of_64_hex_digits()
    {
        var inputs = Project();

        var key = inputs.Key();

        Assert.Equal(key, inputs.Key());
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    [Theory]
    [InlineData("model bytes")]
    [InlineData("a setting")]
    [InlineData("the tool version")]
    [InlineData("a CLI assembly rebuilt under the same version")]
    public void Changing_one_input_changes_the_key(string change)
    {
        var inputs = Project();
        var before = inputs.Key();

        switch (change)
        {
            case "model bytes": File.WriteAllBytes(inputs.ModelPath, [1, 2, 3, 5]); break;
            case "a setting": inputs.Stamp = Stamp(inputs.ProjectDirectory, maxSize: "2MB", tool: "0.1.0+abc"); break;
            case "the tool version": inputs.Stamp = Stamp(inputs.ProjectDirectory, maxSize: "1MB", tool: "0.2.0+def"); break;
            default: File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(inputs.CliPath)!, "ModelBuild.Compression.dll"), [40, 42]); break;
        }

        Assert.NotEqual(before, inputs.Key());
    }

    [Fact]
    public void Changing_a_data_files_bytes_changes_its_hash_in_the_data_manifest_and_not_the_key()
    {
        var inputs = Project();
        var key = inputs.Key();
        var manifest = inputs.Manifest();

        File.WriteAllBytes(inputs.DataFiles[1], [20, 21, 23]);

        Assert.Equal(key, inputs.Key());
        Assert.NotEqual(manifest, inputs.Manifest());
        Assert.Equal(["data/calibration/class0/a.png", "data/calibration/class0/b.png"], CacheKey.DataManifest(inputs.DataFiles, inputs.ProjectDirectory).Select(file => file.Path));
    }

    [Fact]
    public void Changing_the_models_external_data_file_changes_the_key()
    {
        var inputs = Project();
        var modelPath = TestModels.ExternalDataModel(Path.Combine(inputs.ProjectDirectory, "Models"));
        var before = CacheKey.Compute(modelPath, inputs.Stamp, inputs.ProjectDirectory, inputs.CliPath);
        var dataPath = Path.Combine(inputs.ProjectDirectory, "Models", "external.weights");
        var data = File.ReadAllBytes(dataPath);
        data[^1] ^= 1;
        File.WriteAllBytes(dataPath, data);

        var after = CacheKey.Describe(modelPath, inputs.Stamp, inputs.ProjectDirectory, inputs.CliPath);

        Assert.Contains("external external.weights ", after);
        Assert.NotEqual(before, CacheKey.Compute(modelPath, inputs.Stamp, inputs.ProjectDirectory, inputs.CliPath));
    }

    [Fact]
    public void An_external_data_location_behind_a_link_or_outside_the_folder_is_not_read_for_the_key()
    {
        var inputs = Project();
        var models = Path.Combine(inputs.ProjectDirectory, "Models");
        var modelPath = TestModels.ExternalDataModel(models);
        var outside = Path.Combine(folder.Path, "outside.weights");
        File.Move(Path.Combine(models, "external.weights"), outside);
        File.CreateSymbolicLink(Path.Combine(models, "external.weights"), outside);

        Assert.Empty(ExternalDataFiles.Of(modelPath));
        Assert.DoesNotContain("external ", CacheKey.Describe(modelPath, inputs.Stamp, inputs.ProjectDirectory, inputs.CliPath));
    }

    [Fact]
    public void The_external_data_files_of_a_model_are_found_in_its_bytes()
    {
        var models = Path.Combine(folder.Path, "Models");
        var modelPath = TestModels.ExternalDataModel(models);

        Assert.Equal([Path.Combine(models, "external.weights")], ExternalDataFiles.Of(modelPath));
        Assert.Empty(ExternalDataFiles.Of(Path.Combine(models, "absent.onnx")));
    }

    [Fact]
    public void A_data_file_moved_to_another_class_folder_changes_the_data_manifest()
    {
        var inputs = Project();
        var before = inputs.Manifest();
        var moved = Path.Combine(inputs.ProjectDirectory, "data", "calibration", "class1", "b.png");
        Write(moved, File.ReadAllBytes(inputs.DataFiles[1]));

        inputs.DataFiles[1] = moved;

        Assert.NotEqual(before, inputs.Manifest());
    }

    [Fact]
    public void The_same_project_in_another_folder_has_the_same_key()
    {
        var here = Project("here");
        var there = Project("there");

        Assert.Equal(here.Key(), there.Key());
        Assert.Equal(here.Manifest(), there.Manifest());
        Assert.DoesNotContain(here.ProjectDirectory, here.Describe());
        Assert.DoesNotContain(here.ProjectDirectory, here.Manifest());
    }

    [Fact]
    public void The_models_folder_does_not_change_the_key_but_its_file_name_does()
    {
        var inputs = Project();
        var before = inputs.Key();

        inputs.Stamp = Stamp(inputs.ProjectDirectory, "1MB", "0.1.0+abc", modelPath: "Other/digits.onnx");
        var otherFolder = inputs.Key();
        inputs.Stamp = Stamp(inputs.ProjectDirectory, "1MB", "0.1.0+abc", modelPath: "Models/letters.onnx");

        Assert.Equal(before, otherFolder);
        Assert.NotEqual(before, inputs.Key());
    }

    private sealed class KeyInputs(string projectDirectory)
    {
        public string ProjectDirectory { get; } = projectDirectory;

        public string ModelPath { get; } = Path.Combine(projectDirectory, "Models", "digits.onnx");

        public string[] DataFiles { get; } =
        [
            Path.Combine(projectDirectory, "data", "calibration", "class0", "a.png"),
            Path.Combine(projectDirectory, "data", "calibration", "class0", "b.png"),
        ];

        // The CLI lives outside the project (a package folder): it is named by its assemblies' bytes only.
        public string CliPath { get; } = Path.Combine(projectDirectory + "-tools", "modelbuild.dll");

        public string Stamp { get; set; } = "";

        public string Key() => CacheKey.Compute(ModelPath, Stamp, ProjectDirectory, CliPath);

        public string Describe() => CacheKey.Describe(ModelPath, Stamp, ProjectDirectory, CliPath);

        public string Manifest() => string.Join("\n", CacheKey.DataManifest(DataFiles, ProjectDirectory).Select(file => $"{file.Path} {file.Hash}"));
    }
}
