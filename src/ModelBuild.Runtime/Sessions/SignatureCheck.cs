namespace ModelBuild.Runtime;

/// <summary>
/// Catches an embedded model that does not match the generated class (a stale build output) at construction,
/// instead of as a confusing ONNX Runtime error on the first call.
/// </summary>
internal static class SignatureCheck
{
    public static void RequireNames(string resourceName, string kind, IReadOnlyList<string> expected, IEnumerable<string> found)
    {
        var foundNames = found.ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(name => !foundNames.Contains(name)).ToList();
        if (missing.Count == 0) return;
        throw new InvalidOperationException(
            $"Embedded model '{resourceName}' does not match its generated class: expected {kind} tensor(s) "
            + $"{string.Join(", ", missing.Select(n => $"'{n}'"))}, found {string.Join(", ", foundNames.Select(n => $"'{n}'"))}. "
            + "Rebuild the project so the class and the embedded model come from the same build.");
    }
}
