using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>
/// Per-file <c>build_metadata.AdditionalFiles.*</c> values, as the compiler builds them from the generated
/// .editorconfig when the targets declare <c>CompilerVisibleItemMetadata</c>.
/// </summary>
internal sealed class MetadataOptionsProvider(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> byPath)
    : AnalyzerConfigOptionsProvider
{
    private static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GlobalOptions => Empty;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        => byPath.TryGetValue(textFile.Path, out var values) ? new DictionaryOptions(values) : Empty;

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
