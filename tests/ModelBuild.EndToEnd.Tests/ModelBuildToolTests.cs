using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Google.Protobuf;
using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// The <c>modelbuild</c> .NET tool (package ModelBuild.Cli), installed from a local feed with <c>dotnet tool install</c>,
/// runs on its own: no ModelBuild or ONNX Runtime package is restored beside it, so ONNX Runtime's native library
/// must come from the tool package.
/// </summary>
// In the packed ModelBuild collection only to run alone: its pack builds the same projects of src/ as that one.
[Collection(PackedModelBuildCollection.Name)]
public sealed class ModelBuildToolTests(InstalledModelBuildTool tool) : IClassFixture<InstalledModelBuildTool>, IDisposable
{
    // Every platform whose native library Microsoft.ML.OnnxRuntime 1.31.1 ships for .NET on a desktop or server.
    private static readonly string[] NativeLibraries =
    [
        "runtimes/linux-x64/native/libonnxruntime.so",
        "runtimes/linux-arm64/native/libonnxruntime.so",
        "runtimes/osx-arm64/native/libonnxruntime.dylib",
        "runtimes/win-x64/native/onnxruntime.dll",
        "runtimes/win-arm64/native/onnxruntime.dll",
    ];

    private const string ToolFolder = "tools/net8.0/any/";

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Help_lists_the_four_commands()
    {
        var help = tool.Run(_folder.Path, "--help");

        Assert.True(help.Succeeded, help.ToString());
        Assert.Contains("modelbuild [command] [options]", help.Output);
        foreach (var command in new[] { "compress <model>", "inspect <model>", "evaluate <original> <compressed>", "report <report>" })
            Assert.Contains(command, help.Output);
    }

    [Fact]
    public void Compress_int8_dynamic_writes_a_smaller_model_that_runs_like_the_original_and_inspect_prints_its_sizes()
    {
        var model = TestModels.MatMulModel();
        var original = _folder.File("dense.onnx");
        File.WriteAllBytes(original, model.ToByteArray());

        var compress = tool.Run(_folder.Path, "compress", original, "--recipe", "int8-dynamic",
            "--output", _folder.File("small.onnx"), "--description", _folder.File("small.modeldesc"));

        Assert.True(compress.Succeeded, compress.ToString());
        Assert.True(File.Exists(_folder.File("small.modeldesc")), compress.ToString());
        var inputs = RandomInputs.For(model, dynamicSize: 3);
        // Int8 weights with per-channel scales: within a few hundredths of outputs of about 1.
        OutputAssert.Same(OrtRunner.Run(original, inputs), OrtRunner.Run(_folder.File("small.onnx"), inputs), tolerance: 0.05f);

        var inspectOriginal = tool.Run(_folder.Path, "inspect", original);
        var inspectSmall = tool.Run(_folder.Path, "inspect", _folder.File("small.onnx"));

        Assert.True(inspectOriginal.Succeeded, inspectOriginal.ToString());
        Assert.True(inspectSmall.Succeeded, inspectSmall.ToString());
        // 16x32 + 32 + 32x8 + 8 floats.
        Assert.Contains("weights: 808 values in 4 tensors, 3,232 bytes", inspectOriginal.Output);
        Assert.Contains("already quantized: yes (DynamicQuantizeMatMul)", inspectSmall.Output);
        var smallWeightBytes = WeightBytes(inspectSmall);
        Assert.InRange(smallWeightBytes, 808, 3_232 / 2);
        Assert.True(new FileInfo(_folder.File("small.onnx")).Length < new FileInfo(original).Length, compress.ToString());
    }

    [Fact]
    public void Package_is_a_dotnet_tool_carrying_onnx_runtime_for_each_desktop_platform_and_depending_on_nothing()
    {
        using var archive = ZipFile.OpenRead(tool.PackagePath);
        var files = archive.Entries.Select(entry => entry.FullName).ToHashSet();
        var nuspec = Xml(archive, $"{InstalledModelBuildTool.PackageId}.nuspec");
        var settings = Xml(archive, ToolFolder + "DotnetToolSettings.xml");

        Assert.Equal("DotnetTool", (string)nuspec.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
        var command = settings.Descendants("Command").Single();
        Assert.Equal("modelbuild", (string)command.Attribute("Name")!);
        Assert.Equal("modelbuild.dll", (string)command.Attribute("EntryPoint")!);
        Assert.All(NativeLibraries.Prepend("Microsoft.ML.OnnxRuntime.dll").Prepend("modelbuild.dll"),
            path => Assert.Contains(ToolFolder + path, files));
        // A .NET tool never runs on Android or iOS, and nothing links against Windows import libraries: 110 MB saved.
        Assert.DoesNotContain(files, path => path.Contains("/runtimes/android/", StringComparison.Ordinal)
            || path.Contains("/runtimes/ios/", StringComparison.Ordinal) || path.EndsWith(".lib", StringComparison.Ordinal));
    }

    private static long WeightBytes(ProcessResult inspect)
    {
        var line = Regex.Match(inspect.Output, @"^weights: [\d,]+ values in \d+ tensors, ([\d,]+) bytes", RegexOptions.Multiline);
        Assert.True(line.Success, inspect.ToString());
        return long.Parse(line.Groups[1].Value.Replace(",", ""));
    }

    private static XDocument Xml(ZipArchive archive, string path)
    {
        using var stream = archive.GetEntry(path)!.Open();
        return XDocument.Load(stream);
    }
}
