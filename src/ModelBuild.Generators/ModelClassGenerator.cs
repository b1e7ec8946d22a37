using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ModelBuild.Generators.Description;
using ModelBuild.Generators.Diagnostics;
using ModelBuild.Generators.Emit;
using ModelBuild.Generators.Model;
using ModelBuild.Generators.Naming;

namespace ModelBuild.Generators;

/// <summary>Emits one typed class per model description that the ModelBuild targets pass as an AdditionalFile.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelClassGenerator : IIncrementalGenerator
{
    /// <summary>Step names, for tests that check what an edit recomputes.</summary>
    public static class TrackingNames
    {
        public const string DescriptionFiles = nameof(DescriptionFiles);
        public const string ModelClassResults = nameof(ModelClassResults);
        public const string ModelClassSet = nameof(ModelClassSet);
        public const string ModelClasses = nameof(ModelClasses);
    }

    /// <summary>The version written into <c>[GeneratedCode]</c>.</summary>
    public static string Version { get; } = typeof(ModelClassGenerator).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var descriptionFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select((pair, cancellationToken) => DescriptionFileReader.Read(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
            .Where(file => file is not null)
            .Select((file, _) => file!)
            .WithTrackingName(TrackingNames.DescriptionFiles);

        var results = descriptionFiles
            .Select(ModelClassPlanner.Plan)
            .WithTrackingName(TrackingNames.ModelClassResults);

        var classSet = results
            .Where(result => result.Model is not null)
            .Select((result, _) => result.Model!)
            .Collect()
            .Select(ClassClashDetector.Split)
            .WithTrackingName(TrackingNames.ModelClassSet);

        var classes = classSet
            .SelectMany((set, _) => set.Classes.Items)
            .WithTrackingName(TrackingNames.ModelClasses);

        // Diagnostics travel apart from the code, so reporting them never invalidates a cached class.
        context.RegisterSourceOutput(results.Select((result, _) => result.Diagnostics), ReportAll);
        context.RegisterSourceOutput(classSet.Select((set, _) => set.Clashes), ReportAll);
        context.RegisterSourceOutput(classes, (production, model) =>
            production.AddSource(model.HintName, SourceText.From(ModelClassEmitter.Emit(model, Version), System.Text.Encoding.UTF8)));
    }

    private static void ReportAll(SourceProductionContext production, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics) production.ReportDiagnostic(diagnostic.ToDiagnostic());
    }
}
