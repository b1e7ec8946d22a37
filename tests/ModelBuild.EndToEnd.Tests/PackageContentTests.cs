using System.IO.Compression;
using System.Xml.Linq;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>The packed .nupkg holds each part where NuGet and MSBuild look for it.</summary>
[Collection(PackedModelBuildCollection.Name)]
public sealed class PackageContentTests(PackedModelBuild package)
{
    [Fact]
    public void Package_holds_runtime_targets_tasks_cli_and_generator_in_their_folders()
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        var files = archive.Entries.Select(entry => entry.FullName).ToHashSet();

        string[] required =
        [
            "lib/net8.0/ModelBuild.Runtime.dll",
            "build/ModelBuild.props",
            "build/ModelBuild.targets",
            "tasks/netstandard2.0/ModelBuild.Tasks.dll",
            "tasks/netstandard2.0/ModelBuild.Contracts.dll",
            "tools/net8.0/modelbuild.dll",
            "tools/net8.0/modelbuild.runtimeconfig.json",
            "tools/net8.0/modelbuild.deps.json",
            "tools/net8.0/ModelBuild.Compression.dll",
            "tools/net8.0/ModelBuild.Onnx.dll",
            "tools/net8.0/Google.Protobuf.dll",
            "tools/net8.0/System.CommandLine.dll",
            "tools/net8.0/Microsoft.ML.OnnxRuntime.dll",
            "analyzers/dotnet/cs/ModelBuild.Generators.dll",
            "analyzers/dotnet/cs/ModelBuild.Contracts.dll",
            "tools/net8.0/ModelBuild.Contracts.dll",
        ];
        Assert.All(required, path => Assert.Contains(path, files));
        // Native ONNX Runtime comes from the restored Microsoft.ML.OnnxRuntime package, not a 130 MB copy in tools/.
        Assert.DoesNotContain(files, path => path.StartsWith("tools/net8.0/runtimes/", StringComparison.Ordinal));
        Assert.DoesNotContain(files, path => path.StartsWith("lib/", StringComparison.Ordinal) && !path.StartsWith("lib/net8.0/", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_depends_on_onnx_runtime_1_31_1_and_nothing_from_this_repository()
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        using var nuspecStream = archive.GetEntry("ModelBuild.nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);

        Assert.Equal("1.31.1", dependencies["Microsoft.ML.OnnxRuntime"]);
        // The runtime's container decoder hashes with it (XxHash3): an app without it could not decode a packed model.
        Assert.Contains("System.IO.Hashing", dependencies.Keys);
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("ModelBuild", StringComparison.Ordinal));
        Assert.Equal(package.Version, nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value);
    }
}
