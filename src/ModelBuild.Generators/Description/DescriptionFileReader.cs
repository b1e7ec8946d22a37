using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelBuild.Generators.Description;

/// <summary>Picks the AdditionalFiles the ModelBuild targets marked as model descriptions.</summary>
internal static class DescriptionFileReader
{
    private const string MetadataPrefix = "build_metadata.AdditionalFiles.";

    public static ModelDescriptionFile? Read(AdditionalText file, AnalyzerConfigOptions options, CancellationToken cancellationToken)
    {
        var className = Metadata(options, "ModelBuildClassName");
        if (className.Length == 0) return null;
        var text = file.GetText(cancellationToken)?.ToString() ?? string.Empty;
        return new ModelDescriptionFile(
            file.Path,
            className,
            Metadata(options, "ModelBuildNamespace"),
            Metadata(options, "ModelBuildResourceName"),
            Metadata(options, "ModelBuildSourcePath"),
            text);
    }

    private static string Metadata(AnalyzerConfigOptions options, string name)
        => options.TryGetValue(MetadataPrefix + name, out var value) ? value.Trim() : string.Empty;
}
