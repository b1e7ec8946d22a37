using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using ModelBuild.Compression.Description;
using ModelBuild.Runtime;
using ModelBuild.TestSupport;
using Xunit.Abstractions;

namespace ModelBuild.Generators.Tests.RealBuild;

/// <summary>
/// The generator as the real compiler loads it in <c>dotnet build</c>: netstandard2.0 analyzer, item metadata through
/// <c>CompilerVisibleItemMetadata</c>, C# 12, warnings as errors. The ModelBuild targets wire the same items; this
/// test wires them by hand so it checks the generator alone.
/// </summary>
public sealed class DotnetBuildTests(ITestOutputHelper output)
{
    private const long N = 2;

    private const string Program = """
        using System;
        using System.Globalization;
        using System.Linq;
        using Sample.Models;

        const int n = 2;
        var values = Enumerable.Range(0, n * 4).Select(i => i * 0.25f).ToArray();
        var offsets = Enumerable.Range(0, n * 4).Select(i => (long)(i % 3)).ToArray();
        var pixels = Enumerable.Range(0, n * 4).Select(i => (byte)(i * 7)).ToArray();
        var mask = Enumerable.Range(0, n * 4).Select(i => i % 2 == 0).ToArray();

        using var model = new Multi();
        MultiOutput output = model.Run(values, offsets, pixels, mask, n);
        Console.WriteLine("selected " + string.Join(" ", output.Selected.Data.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        Console.WriteLine("count " + string.Join(" ", output.Count.Data));
        Console.WriteLine("recipe " + Multi.Info.Recipe);
        """;

    [Fact]
    public void GeneratedClassBuildsAndRunsInARealApp()
    {
        using var folder = new TemporaryFolder();
        var model = TestModels.MultiInputModel();
        var modelBytes = model.ToByteArray();
        File.WriteAllBytes(folder.File("multi.onnx"), modelBytes);
        File.WriteAllText(folder.File("Multi.modeldesc"), ModelDescriptionWriter.Format(new ModelDescription("none", modelBytes.Length, modelBytes.Length, model)));
        File.WriteAllText(folder.File("Program.cs"), Program);
        File.WriteAllText(folder.File("App.csproj"), ProjectFile());

        var stdout = RunDotnet(folder.Path, "run", "--disable-build-servers", "-p:UseSharedCompilation=false", "-nodeReuse:false");

        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var expected = OrtRunner.Run(modelBytes, Inputs());
        Assert.Equal(expected["selected"].Data, Field(lines, "selected").Select(v => float.Parse(v, CultureInfo.InvariantCulture)));
        Assert.Equal(expected["count"].Data, Field(lines, "count").Select(v => float.Parse(v, CultureInfo.InvariantCulture)));
        Assert.Equal(["none"], Field(lines, "recipe"));
    }

    private static string ProjectFile()
    {
        var metadata = string.Concat(new[] { "ModelBuildClassName", "ModelBuildNamespace", "ModelBuildResourceName", "ModelBuildSourcePath" }
            .Select(name => $"""    <CompilerVisibleItemMetadata Include="AdditionalFiles" MetadataName="{name}" />""" + "\n"));
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <LangVersion>12</LangVersion>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
              </PropertyGroup>
              <ItemGroup>
            {metadata}
                <Analyzer Include="{typeof(ModelClassGenerator).Assembly.Location}" />
                <Analyzer Include="{typeof(ModelBuild.Contracts.ContractsAssembly).Assembly.Location}" />
                <Reference Include="{typeof(EmbeddedModel).Assembly.Location}" />
                <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
                <PackageReference Include="System.Numerics.Tensors" Version="9.0.19" />
                <AdditionalFiles Include="Multi.modeldesc" ModelBuildClassName="Multi" ModelBuildNamespace="Sample.Models"
                                 ModelBuildResourceName="ModelBuild.Sample.Models.Multi.onnx" ModelBuildSourcePath="Models/multi.onnx" />
                <EmbeddedResource Include="multi.onnx" LogicalName="ModelBuild.Sample.Models.Multi.onnx" />
              </ItemGroup>
            </Project>
            """;
    }

    /// <summary>The same inputs Program computes.</summary>
    private static Dictionary<string, InputTensor> Inputs()
    {
        var count = (int)(N * 4);
        long[] shape = [N, 4];
        return new Dictionary<string, InputTensor>
        {
            ["values"] = new(Enumerable.Range(0, count).Select(i => i * 0.25f).ToArray(), shape),
            ["offsets"] = new(Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray(), shape),
            ["pixels"] = new(Enumerable.Range(0, count).Select(i => (byte)(i * 7)).ToArray(), shape),
            ["mask"] = new(Enumerable.Range(0, count).Select(i => i % 2 == 0).ToArray(), shape),
        };
    }

    private static string[] Field(string[] lines, string name)
        => lines.Single(line => line.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..].Split(' ');

    private string RunDotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.WriteLine(stdout);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
