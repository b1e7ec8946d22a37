using System.Text.Json;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>How the targets meet the rest of the build: design-time builds, the item defaults and the public item, and a CLI that fails without saying why.</summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class BuildIntegrationTests(PackedModelBuild package, ScratchApp fixture) : IClassFixture<ScratchApp>
{
    private readonly ConsumerApp _app = fixture.Fresh(package);
    private readonly byte[] _validModel = fixture.ValidModel;

    [Fact]
    public void Design_time_build_gives_the_generator_its_items_without_running_the_compressor()
    {
        _app.WriteModel("Models/Vision/tiny-net.onnx", _validModel);
        _app.WriteProject("""<OnnxModel Include="Models/Vision/tiny-net.onnx" />""");

        var designTime = Dotnet.Run(_app.Folder, "msbuild", "-restore", "-nologo", "-nodeReuse:false", "-t:ModelBuildCompile",
            "-p:DesignTimeBuild=true", "-getItem:AdditionalFiles", "-getItem:EmbeddedResource");

        Assert.True(designTime.Succeeded, designTime.ToString());
        Assert.Empty(BuildOutput.CompressorLines(designTime, "tiny-net.onnx"));
        Assert.Empty(_app.ModelBuildOutputs());
        var items = JsonDocument.Parse(designTime.Output[designTime.Output.IndexOf('{')..]).RootElement.GetProperty("Items");
        var description = Assert.Single(items.GetProperty("AdditionalFiles").EnumerateArray(),
            file => file.GetProperty("Identity").GetString()!.EndsWith(".modeldesc", StringComparison.Ordinal));
        Assert.Equal(Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Vision.TinyNet", "TinyNet.modeldesc"), description.GetProperty("FullPath").GetString());
        Assert.Equal("TinyNet", description.GetProperty("ModelBuildClassName").GetString());
        Assert.Equal("E2eApp.Models.Vision", description.GetProperty("ModelBuildNamespace").GetString());
        Assert.Equal("ModelBuild.E2eApp.Models.Vision.TinyNet.onnx", description.GetProperty("ModelBuildResourceName").GetString());
        // As the item gives it, so the generated docs hold no folder of the build machine.
        Assert.Equal("Models/Vision/tiny-net.onnx", description.GetProperty("ModelBuildSourcePath").GetString());
        var resource = Assert.Single(items.GetProperty("EmbeddedResource").EnumerateArray(),
            file => file.GetProperty("Identity").GetString()!.EndsWith("TinyNet.onnx", StringComparison.Ordinal));
        Assert.Equal("ModelBuild.E2eApp.Models.Vision.TinyNet.onnx", resource.GetProperty("LogicalName").GetString());
    }

    [Fact]
    public void Item_defaults_come_from_the_properties_unless_the_item_sets_them_to_a_value_and_each_model_is_a_public_ModelBuildCompressedModel()
    {
        _app.WriteModel("Models/Vision/tiny-net.onnx", _validModel);
        _app.WriteProject("""
            <OnnxModel Include="Models/Vision/tiny-net.onnx" EvaluationData="data" />
            <OnnxModel Include="Models/Vision/tiny-net.onnx" ClassName="Arm" Compression="fp16" TargetCpu="arm64" />
            <OnnxModel Include="Models/Vision/tiny-net.onnx" ClassName="Unset" Compression="$(NoSuchProperty)" TargetCpu="" />
            """);

        var designTime = Dotnet.Run(_app.Folder, "msbuild", "-restore", "-nologo", "-nodeReuse:false", "-t:ModelBuildCompile",
            "-p:DesignTimeBuild=true", "-p:ModelBuildTargetCpu=x64-vnni", "-p:ModelBuildDefaultCompression=int8-dynamic",
            "-getItem:OnnxModel", "-getItem:ModelBuildCompressedModel");

        Assert.True(designTime.Succeeded, designTime.ToString());
        var items = JsonDocument.Parse(designTime.Output[designTime.Output.IndexOf('{')..]).RootElement.GetProperty("Items");
        var declared = items.GetProperty("OnnxModel").EnumerateArray().ToList();
        // Metadata set to empty (an unset property) means the default, as when it is left out.
        Assert.Equal([("int8-dynamic", "x64-vnni"), ("fp16", "arm64"), ("int8-dynamic", "x64-vnni")],
            declared.Select(model => (model.GetProperty("Compression").GetString(), model.GetProperty("TargetCpu").GetString())));
        var compressed = items.GetProperty("ModelBuildCompressedModel").EnumerateArray().ToList();
        Assert.Equal(3, compressed.Count);
        var folder = Path.Combine(_app.ModelBuildOutputFolder, "E2eApp.Models.Vision.TinyNet");
        var measured = compressed.Single(model => model.GetProperty("ClassName").GetString() == "TinyNet");
        Assert.Equal("E2eApp.Models.Vision", measured.GetProperty("Namespace").GetString());
        Assert.Equal(Path.Combine(folder, "TinyNet.onnx"), measured.GetProperty("CompressedPath").GetString());
        Assert.Equal(Path.Combine(folder, "TinyNet.onnx"), measured.GetProperty("FullPath").GetString());
        Assert.Equal(Path.Combine(folder, "TinyNet.modeldesc"), measured.GetProperty("DescriptionPath").GetString());
        Assert.Equal(Path.Combine(folder, "TinyNet.report.md"), measured.GetProperty("ReportPath").GetString());
        Assert.Equal(Path.Combine(folder, "TinyNet.report.html"), measured.GetProperty("HtmlReportPath").GetString());
        Assert.Equal("Models/Vision/tiny-net.onnx", measured.GetProperty("SourceModel").GetString());
        var unmeasured = compressed.Single(model => model.GetProperty("ClassName").GetString() == "Arm");
        Assert.Equal("", unmeasured.GetProperty("ReportPath").GetString());
        Assert.Equal("", unmeasured.GetProperty("HtmlReportPath").GetString());
    }

    [Fact]
    public void Cli_that_fails_without_an_error_line_gives_MB1901_with_its_exit_code_and_last_lines()
    {
        _app.WriteModel("Models/valid.onnx", _validModel);
        _app.WriteProject("""<OnnxModel Include="Models/valid.onnx" />""");
        // A damaged tools folder: the CLI assembly is there but not runnable, so only the dotnet host complains.
        var brokenCli = _app.WriteModel("broken-tools/modelbuild.dll", "not an assembly"u8.ToArray());

        var build = Dotnet.Run(_app.Folder, "build", "-nologo", "-tl:off", "-nodeReuse:false", $"-p:ModelBuildCliPath={brokenCli}");

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("1 Error(s)", build.Output);
        // MSBuild prints each line of the one multi-line error with the same "file : error MB1901:" prefix.
        var lines = BuildOutput.Errors(build, "MB1901");
        Assert.All(lines, line => Assert.Equal(Path.Combine(_app.Folder, "Models", "valid.onnx"), line.File));
        Assert.Matches(@"^modelbuild compress exited with code [1-9]\d* without reporting an error", lines[0].Message);
        Assert.Contains(lines, line => line.Message.Contains("libhostpolicy", StringComparison.Ordinal));
        Assert.Empty(_app.ModelBuildOutputs());
    }
}
