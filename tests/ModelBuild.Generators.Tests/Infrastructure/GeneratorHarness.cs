using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>Runs the real generator inside a real Roslyn compilation, as the compiler does in a build.</summary>
internal static class GeneratorHarness
{
    /// <summary>C# 12 (net8.0 apps' default) with XML docs checked, so malformed generated docs show up as warnings.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    /// <summary>The framework, ONNX Runtime's managed API and ModelBuild.Runtime: what an app compiles against.</summary>
    public static IReadOnlyList<MetadataReference> References { get; } = LoadReferences();

    public static CSharpCompilation NewCompilation(string assemblyName, params string[] sources)
        => CSharpCompilation.Create(
            assemblyName,
            sources.Select(source => CSharpSyntaxTree.ParseText(source, ParseOptions)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorRun Run(IEnumerable<DescribedModel> models, params string[] sources)
        => Run(NewCompilation("App" + Guid.NewGuid().ToString("N"), sources), models);

    public static GeneratorRun Run(CSharpCompilation compilation, IEnumerable<DescribedModel> models)
    {
        var driver = NewDriver(models);
        return Continue(driver, compilation);
    }

    /// <summary>Runs an existing driver again, on a new compilation, so its step tracking compares the two runs.</summary>
    public static GeneratorRun Continue(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(driver, output, generatorDiagnostics);
    }

    public static GeneratorDriver NewDriver(IEnumerable<DescribedModel> models) => NewDriver(models, out _);

    /// <summary>Also hands out the AdditionalTexts, for tests that replace one and run again.</summary>
    public static GeneratorDriver NewDriver(IEnumerable<DescribedModel> models, out IReadOnlyList<AdditionalText> texts)
    {
        var modelList = models.ToList();
        var options = new MetadataOptionsProvider(modelList.ToDictionary(m => m.Path, m => m.Metadata));
        texts = modelList.Select(m => (AdditionalText)new InMemoryAdditionalText(m.Path, m.Text)).ToList();
        return CSharpGeneratorDriver.Create(
            [new ModelClassGenerator().AsSourceGenerator()],
            texts,
            ParseOptions,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    private static List<MetadataReference> LoadReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        string[] app = [typeof(ModelBuild.Runtime.EmbeddedModel).Assembly.Location, typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location];
        return platform.Concat(app)
            .DistinctBy(Path.GetFileName)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
    }
}
