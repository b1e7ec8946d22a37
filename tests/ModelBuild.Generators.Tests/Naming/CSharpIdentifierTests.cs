using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelBuild.Contracts.Naming;

namespace ModelBuild.Generators.Tests.Naming;

/// <summary>
/// The one name validator (ModelBuild.Contracts, a keyword list the MSBuild task can load) against Roslyn: the same
/// reserved keywords, the same identifier characters, and exactly the contextual keywords the compiler refuses as
/// a type's name.
/// </summary>
public sealed class CSharpIdentifierTests
{
    [Fact]
    public void The_reserved_keywords_are_roslyns()
    {
        var roslyn = SyntaxFacts.GetReservedKeywordKinds().Select(SyntaxFacts.GetText).ToHashSet();

        Assert.Equal(roslyn.Order(), CSharpIdentifier.Reserved.Order());
        Assert.All(roslyn, keyword => Assert.False(CSharpIdentifier.IsValid(keyword), keyword));
        Assert.All(roslyn, keyword => Assert.True(CSharpIdentifier.IsReservedKeyword(keyword), keyword));
    }

    [Fact]
    public void Start_and_part_characters_are_roslyns_for_every_utf16_code_unit()
    {
        var differences = Enumerable.Range(0, char.MaxValue + 1).Select(code => (char)code)
            .Where(c => CSharpIdentifier.IsStartCharacter(c) != SyntaxFacts.IsIdentifierStartCharacter(c)
                || CSharpIdentifier.IsPartCharacter(c) != SyntaxFacts.IsIdentifierPartCharacter(c))
            .Select(c => $"U+{(int)c:X4}")
            .ToList();

        Assert.True(differences.Count == 0, $"characters classified unlike Roslyn: {string.Join(", ", differences.Take(20))}");
    }

    [Fact]
    public void A_contextual_keyword_is_refused_as_a_class_name_exactly_when_the_compiler_refuses_it()
    {
        var contextual = SyntaxFacts.GetContextualKeywordKinds().Select(SyntaxFacts.GetText).Where(text => text.Length > 0).Distinct().ToList();
        var control = Problems("namespace N { public sealed class zzmodel { } }");

        var refusedByCompiler = contextual.Where(keyword => !Problems($"namespace N {{ public sealed class {keyword} {{ }} }}").SetEquals(control)).Order().ToList();

        Assert.NotEmpty(refusedByCompiler);
        Assert.Equal(refusedByCompiler, CSharpIdentifier.RefusedAsTypeNames.Order());
        Assert.All(contextual, keyword => Assert.Equal(!refusedByCompiler.Contains(keyword), CSharpIdentifier.IsValidTypeName(keyword)));
    }

    [Fact]
    public void Every_contextual_keyword_is_a_namespace_part_the_compiler_accepts_as_the_validator_does()
    {
        var contextual = SyntaxFacts.GetContextualKeywordKinds().Select(SyntaxFacts.GetText).Where(text => text.Length > 0).Distinct().ToList();
        var control = Problems("namespace N.zzmodels { public sealed class Model { } }");

        var refused = contextual.Where(keyword => !Problems($"namespace N.{keyword} {{ public sealed class Model {{ }} }}").SetEquals(control)).ToList();

        Assert.Empty(refused);
        Assert.All(contextual, keyword => Assert.True(CSharpIdentifier.IsValidDottedName("N." + keyword), keyword));
    }

    [Theory]
    [InlineData("Digits", true)]
    [InlineData("_2fast", true)]
    [InlineData("Ⅻ", true)]
    [InlineData("2fast", false)]
    [InlineData("Not-AClass", false)]
    [InlineData("@class", false)]
    [InlineData("", false)]
    [InlineData("__arglist", false)]
    public void Class_names_are_checked_as_the_compiler_would(string name, bool valid)
    {
        var compiles = Problems($"namespace N {{ public sealed class {name} {{ }} }}").All(id => id == "CS8981");

        Assert.Equal(valid, CSharpIdentifier.IsValidTypeName(name));
        Assert.Equal(valid, compiles && name.Length > 0 && !name.StartsWith('@'));
    }

    // Warnings count: a build with warnings as errors fails on them (record: CS8860).
    private static HashSet<string> Problems(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Names", [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        return compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id).ToHashSet();
    }
}
