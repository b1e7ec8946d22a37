using System.Text.RegularExpressions;
using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

/// <summary>
/// Keeps docs/bad-inputs.md true: every row names a test method that exists in tests/ (or the sample's tests), and
/// every code it gives is in README's diagnostic table.
/// </summary>
public sealed partial class BadInputCatalogueTests
{
    private static readonly string CataloguePath = Path.Combine(Zoo.RepoRoot, "docs", "bad-inputs.md");

    private static IReadOnlyList<string[]> Rows() =>
        File.ReadAllLines(CataloguePath)
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| input |", StringComparison.Ordinal))
            .Select(line => line.Trim().Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray())
            .ToList();

    [Fact]
    public void Every_row_has_an_input_a_place_a_code_and_one_test()
    {
        var rows = Rows();

        Assert.True(rows.Count >= 40, $"docs/bad-inputs.md has {rows.Count} rows");
        Assert.All(rows, row => Assert.True(row.Length == 4 && row.All(cell => cell.Length > 0) && TestName().IsMatch(row[3]),
            $"not | input | where | code | `Class.Method` |: {string.Join(" | ", row)}"));
        Assert.All(rows, row => Assert.True(row[2].StartsWith('—') || Code().IsMatch(row[2]), $"no code or '—' in: {string.Join(" | ", row)}"));
    }

    [Fact]
    public void Every_test_named_in_the_catalogue_exists()
    {
        var sources = new[] { "tests", Path.Combine("sample-app", "SampleApp.Tests") }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Zoo.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();

        var missing = Rows().Select(row => TestName().Match(row[3]))
            .Where(match => match.Success)
            .Select(match => (Class: match.Groups["class"].Value, Method: match.Groups["method"].Value))
            .Distinct()
            .Where(test => !sources.Any(text =>
                Regex.IsMatch(text, $@"\bclass {test.Class}\b") && Regex.IsMatch(text, $@"\b(void|Task) {test.Method}\(")))
            .Select(test => $"{test.Class}.{test.Method}")
            .ToList();

        Assert.True(missing.Count == 0, $"docs/bad-inputs.md names tests that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_code_in_the_catalogue_is_in_the_readmes_diagnostic_table()
    {
        var readmeCodes = File.ReadAllLines(Path.Combine(Zoo.RepoRoot, "README.md"))
            .Select(line => Regex.Match(line, @"^\| (MB\d{4}) \|"))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToHashSet();

        var unknown = Rows().SelectMany(row => Code().Matches(row[2]).Select(match => match.Value)).Distinct().Where(code => !readmeCodes.Contains(code)).ToList();

        Assert.True(unknown.Count == 0, $"codes in docs/bad-inputs.md missing from README's table: {string.Join(", ", unknown)}");
    }

    [GeneratedRegex(@"^`(?<class>[A-Za-z_][A-Za-z0-9_]*)\.(?<method>[A-Za-z_][A-Za-z0-9_]*)`$")]
    private static partial Regex TestName();

    [GeneratedRegex(@"MB\d{4}")]
    private static partial Regex Code();
}
