namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>Writes model description text (docs/internals.md) for tests that need exact or broken records.</summary>
internal static class DescriptionText
{
    /// <summary>
    /// A valid description. Each tensor is <c>"input|name|type|dims"</c> or <c>"output|name|type|dims"</c>:
    /// the '|' stands for the TAB so the cases stay readable.
    /// </summary>
    public static string Of(string recipe, long originalBytes, long storedBytes, params string[] tensors)
        => Lines(
            ["modelbuild-description|1", $"recipe|{recipe}", $"original-bytes|{originalBytes}", $"stored-bytes|{storedBytes}", "opset|13",
             .. tensors]);

    /// <summary>Records written as given ('|' for TAB), one per line.</summary>
    public static string Lines(params string[] records)
        => string.Concat(records.Select(record => record.Replace('|', '\t') + "\n"));
}
