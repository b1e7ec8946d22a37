using ModelBuild.TestSupport;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>
/// A temporary net8.0 console app that uses the packed ModelBuild the way a user does: a PackageReference resolved
/// from the temporary feed, OnnxModel items in the project file, a real <c>dotnet build</c>.
/// </summary>
public sealed class ConsumerApp : IDisposable
{
    public const string Name = "E2eApp";
    private readonly TemporaryFolder _folder = new();
    private readonly PackedModelBuild _package;

    public ConsumerApp(PackedModelBuild package)
    {
        _package = package;
        File.WriteAllText(_folder.File("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="modelbuild-under-test" value="{package.FeedPath}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
    }

    public string Folder => _folder.Path;

    /// <summary>Where the targets put each model's outputs.</summary>
    public string ModelBuildOutputFolder => Path.Combine(Folder, "obj", "Debug", "net8.0", "modelbuild");

    /// <summary>Writes the project file with the given OnnxModel items and the program.</summary>
    public void WriteProject(string onnxModelItems, string program = "System.Console.WriteLine(\"built\");")
    {
        // RollForward: the app targets net8.0, the oldest supported target, while this machine has only net10.
        File.WriteAllText(Path.Combine(Folder, Name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net8.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RootNamespace>{Name}</RootNamespace>
                <RollForward>LatestMajor</RollForward>
                <!-- Off, so each test compresses as it expects; the cache tests turn it on with a folder of their own. -->
                <ModelBuildCache>false</ModelBuildCache>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelBuild" Version="{_package.Version}" />
              </ItemGroup>
              <ItemGroup>
            {onnxModelItems}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Folder, "Program.cs"), program);
    }

    /// <summary>Writes a model file (any bytes: tests also write broken ones) and returns its full path.</summary>
    public string WriteModel(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public ProcessResult Build() => Dotnet.Run(Folder, "build", "-nologo", "-tl:off", "-nodeReuse:false");

    public ProcessResult Run() => Dotnet.Run(Folder, Path.Combine("bin", "Debug", "net8.0", Name + ".dll"));

    /// <summary>The compressed models and descriptions under obj/, relative to the modelbuild folder.</summary>
    public string[] ModelBuildOutputs() => Directory.Exists(ModelBuildOutputFolder)
        ? Directory.EnumerateFiles(ModelBuildOutputFolder, "*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".onnx", StringComparison.Ordinal) || file.EndsWith(".modeldesc", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(ModelBuildOutputFolder, file))
            .Order()
            .ToArray()
        : [];

    /// <summary>Starts a test from a clean obj/modelbuild, whatever an earlier test on this app left there.</summary>
    public void DeleteModelBuildOutputs()
    {
        if (Directory.Exists(ModelBuildOutputFolder))
            Directory.Delete(ModelBuildOutputFolder, recursive: true);
    }

    public void Dispose() => _folder.Dispose();
}
