using System.Reflection;
using System.Text.RegularExpressions;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.TestSupport;

namespace ModelBuild.Onnx.Tests;

/// <summary>
/// Keeps docs/bad-inputs.md true: every row names a test method that exists in tests/ (or the sample's tests), and
/// every code it gives is in README's diagnostic table. Keeps the code tables true too: every code of
/// <see cref="DiagnosticCodes"/> (the one home of the codes) is in README's and docs/internals.md's table, and
/// every code those tables list is one of them or marked retired.
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

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/internals.md")]
    public void Every_code_constant_is_in_the_code_table_and_the_table_holds_no_other(string document)
    {
        var constants = CodeConstants();
        var rows = File.ReadAllLines(Path.Combine(Zoo.RepoRoot, document))
            .Select(line => Regex.Match(line, @"^\| (?<code>MB\d{4}) \|(?<rest>.*)$"))
            .Where(match => match.Success)
            .ToDictionary(match => match.Groups["code"].Value, match => match.Groups["rest"].Value);

        var missing = constants.Where(code => !rows.ContainsKey(code)).ToList();
        var unknown = rows.Where(row => !constants.Contains(row.Key) && !row.Value.Contains("retired", StringComparison.Ordinal)).Select(row => row.Key).ToList();
        var retiredButUsed = rows.Where(row => constants.Contains(row.Key) && row.Value.TrimStart().StartsWith("retired", StringComparison.Ordinal)).Select(row => row.Key).ToList();

        Assert.True(missing.Count == 0, $"codes of DiagnosticCodes missing from {document}'s table: {string.Join(", ", missing)}");
        Assert.True(unknown.Count == 0, $"codes in {document}'s table that are no DiagnosticCodes constant and not marked retired: {string.Join(", ", unknown)}");
        Assert.True(retiredButUsed.Count == 0, $"codes marked retired in {document} but still raised: {string.Join(", ", retiredButUsed)}");
    }

    [Fact]
    public void Every_code_constant_is_one_code_with_one_name()
    {
        var fields = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.IsLiteral).ToList();

        Assert.True(fields.Count >= 35, $"{fields.Count} codes");
        Assert.All(fields, field => Assert.Matches(@"^MB\d{4}$", (string)field.GetRawConstantValue()!));
        var shared = fields.GroupBy(field => (string)field.GetRawConstantValue()!).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        Assert.True(shared.Count == 0, $"codes with two names: {string.Join(", ", shared)}");
    }

    [Fact]
    public void No_source_outside_the_contracts_spells_a_code_as_a_string()
    {
        var source = Path.Combine(Zoo.RepoRoot, "src");
        var contracts = Path.Combine(source, "ModelBuild.Contracts") + Path.DirectorySeparatorChar;
        var spelled = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(contracts, StringComparison.Ordinal) && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(entry => Regex.IsMatch(entry.line, @"""[^""]*\bMB\d{4}\b") && !entry.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(entry => $"{Path.GetRelativePath(source, entry.file)}:{entry.index + 1}")
            .ToList();

        Assert.True(spelled.Count == 0, $"MB codes in string literals outside ModelBuild.Contracts (use DiagnosticCodes): {string.Join(", ", spelled)}");
    }

    private static HashSet<string> CodeConstants() =>
        typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToHashSet();

    [GeneratedRegex(@"^`(?<class>[A-Za-z_][A-Za-z0-9_]*)\.(?<method>[A-Za-z_][A-Za-z0-9_]*)`$")]
    private static partial Regex TestName();

    [GeneratedRegex(@"MB\d{4}")]
    private static partial Regex Code();
}
