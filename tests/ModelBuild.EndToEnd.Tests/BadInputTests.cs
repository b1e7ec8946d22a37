using System.Text;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// Broken models and settings, each through a real build: the build fails with the MB code, the model's path and
/// what to do; nothing is left in obj/modelbuild; once the model is fixed the next build succeeds.
/// </summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class BadInputTests(PackedModelBuild package, ScratchApp fixture) : IClassFixture<ScratchApp>
{
    private const string BrokenPath = "Models/broken.onnx";
    private readonly ConsumerApp _app = fixture.Fresh(package);
    private readonly byte[] _validModel = fixture.ValidModel;

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "empty", "MB1002" },
        { "git-lfs-pointer", "MB1003" },
        { "truncated", "MB1004" },
        { "not-onnx", "MB1004" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Broken_model_file_fails_the_build_with_its_code_and_path_and_builds_once_fixed(string kind, string code)
    {
        _app.WriteProject($"""<OnnxModel Include="{BrokenPath}" />""");
        var modelPath = _app.WriteModel(BrokenPath, BrokenBytes(kind));

        var broken = _app.Build();

        Assert.False(broken.Succeeded, broken.ToString());
        var errors = BuildOutput.Errors(broken, code);
        Assert.True(errors.Length > 0, $"no {code} error:\n{broken}");
        Assert.All(errors, error => Assert.Equal(modelPath, error.File));
        Assert.DoesNotContain("   at ", broken.Output);
        Assert.Empty(_app.ModelBuildOutputs());

        _app.WriteModel(BrokenPath, _validModel);
        var fixedBuild = _app.Build();
        Assert.True(fixedBuild.Succeeded, fixedBuild.ToString());
        Assert.Equal(["E2eApp.Models.Broken/Broken.modeldesc", "E2eApp.Models.Broken/Broken.onnx"], _app.ModelBuildOutputs());
    }

    [Fact]
    public void Every_invalid_item_is_reported_in_one_build_against_the_project_file_and_the_fixed_project_builds()
    {
        _app.WriteModel("Models/valid.onnx", _validModel);
        _app.WriteProject("""
            <OnnxModel Include="Models/missing.onnx" />
            <OnnxModel Include="Models/valid.onnx" Compression="int5" />
            <OnnxModel Include="Models/valid.onnx" ClassName="2fast" Namespace="E2eApp.Other" />
            """);

        var invalid = _app.Build();

        Assert.False(invalid.Succeeded, invalid.ToString());
        var projectFile = Path.Combine(_app.Folder, ConsumerApp.Name + ".csproj");
        var missing = Assert.Single(BuildOutput.Errors(invalid, "MB1001"));
        Assert.Equal(projectFile, missing.File);
        Assert.Contains("'Models/missing.onnx'", missing.Message);
        var recipe = Assert.Single(BuildOutput.Errors(invalid, "MB1005"));
        Assert.Equal(projectFile, recipe.File);
        Assert.Contains("'int5'", recipe.Message);
        Assert.Contains("none, fp16, int8-dynamic", recipe.Message);
        var identifier = Assert.Single(BuildOutput.Errors(invalid, "MB1007"));
        Assert.Equal(projectFile, identifier.File);
        Assert.Contains("'2fast'", identifier.Message);
        Assert.Empty(_app.ModelBuildOutputs());

        _app.WriteProject("""
            <OnnxModel Include="Models/valid.onnx" Compression="int8-dynamic" />
            <OnnxModel Include="Models/valid.onnx" ClassName="Fast2" Namespace="E2eApp.Other" />
            """);
        var fixedBuild = _app.Build();
        Assert.True(fixedBuild.Succeeded, fixedBuild.ToString());
        Assert.Equal(
            ["E2eApp.Models.Valid/Valid.modeldesc", "E2eApp.Models.Valid/Valid.onnx", "E2eApp.Other.Fast2/Fast2.modeldesc", "E2eApp.Other.Fast2/Fast2.onnx"],
            _app.ModelBuildOutputs());
    }

    [Fact]
    public void Two_models_generating_the_same_class_fail_the_build_naming_both()
    {
        _app.WriteModel("Models/a/net.onnx", _validModel);
        _app.WriteModel("Models/b/net.onnx", _validModel);
        _app.WriteProject("""
            <OnnxModel Include="Models/a/net.onnx" Namespace="E2eApp.Models" />
            <OnnxModel Include="Models/b/net.onnx" Namespace="E2eApp.Models" />
            """);

        var clash = _app.Build();

        Assert.False(clash.Succeeded, clash.ToString());
        var error = Assert.Single(BuildOutput.Errors(clash, "MB1006"));
        Assert.Contains("'Models/a/net.onnx'", error.Message);
        Assert.Contains("'Models/b/net.onnx'", error.Message);
        Assert.Contains("'E2eApp.Models.Net'", error.Message);
        Assert.Empty(_app.ModelBuildOutputs());
    }

    [Fact]
    public void Clean_removes_the_model_outputs()
    {
        _app.WriteModel("Models/valid.onnx", _validModel);
        _app.WriteProject("""<OnnxModel Include="Models/valid.onnx" />""");
        var build = _app.Build();
        Assert.True(build.Succeeded, build.ToString());
        Assert.NotEmpty(_app.ModelBuildOutputs());

        var clean = Dotnet.Run(_app.Folder, "clean", "-nologo", "-tl:off", "-nodeReuse:false");

        Assert.True(clean.Succeeded, clean.ToString());
        Assert.False(Directory.Exists(_app.ModelBuildOutputFolder), $"{_app.ModelBuildOutputFolder} survived dotnet clean");
    }

    private byte[] BrokenBytes(string kind) => kind switch
    {
        "empty" => [],
        "git-lfs-pointer" => Encoding.ASCII.GetBytes(
            "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 26454\n"),
        "truncated" => _validModel[..(_validModel.Length / 2)],
        "not-onnx" => Encoding.UTF8.GetBytes("<html><body>404 Not Found</body></html>\n"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind of broken model"),
    };
}
