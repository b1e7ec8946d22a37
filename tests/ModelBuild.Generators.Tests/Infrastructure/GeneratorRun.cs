using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>One generator run: what it added, what it reported, and the compilation with its sources.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    public IReadOnlyList<GeneratedSourceResult> Sources => Result.GeneratedSources;

    public string Source(string hintName)
        => Sources.SingleOrDefault(s => s.HintName == hintName).SourceText?.ToString()
            ?? throw new Xunit.Sdk.XunitException($"no source '{hintName}'; generated: {string.Join(", ", Sources.Select(s => s.HintName))}; diagnostics: {string.Join(" | ", GeneratorDiagnostics)}");

    /// <summary>Errors and warnings from compiling the app with the generated code: a user's build would show them.</summary>
    public IReadOnlyList<Diagnostic> CompileProblems
        => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    public void AssertCompilesCleanly()
        => Assert.True(CompileProblems.Count == 0, "the generated code does not compile cleanly:\n" + string.Join("\n", CompileProblems));
}
