using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelBuild.Generators.Tests.Infrastructure;
using static ModelBuild.Generators.ModelClassGenerator;

namespace ModelBuild.Generators.Tests.Incrementality;

/// <summary>The pipeline's value models must let Roslyn reuse every step an edit does not touch.</summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
        [TrackingNames.DescriptionFiles, TrackingNames.ModelClassResults, TrackingNames.ModelClassSet, TrackingNames.ModelClasses];

    private static readonly DescribedModel Digits = DescribedModel.Of("Digits", DescriptionText.Of(
        "int8-dynamic", 26454, 9012, "input|Input3|float|1,1,28,28", "output|Plus214_Output_0|float|1,10"));

    private static readonly DescribedModel Tagger = DescribedModel.Of("Tagger", DescriptionText.Of(
        "none", 1000, 1000, "input|tokens|int64|batch,16", "output|logits|float|batch,16,10"));

    [Fact]
    public void UnrelatedSourceEditLeavesEveryStepCached()
    {
        var compilation = GeneratorHarness.NewCompilation("App", "namespace App { public class Program { } }");
        var first = GeneratorHarness.Run(compilation, [Digits, Tagger]);
        var edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace App { public class Helper { public int Value => 42; } }", GeneratorHarness.ParseOptions));

        var second = GeneratorHarness.Continue(first.Driver, edited);

        foreach (var step in TrackedSteps)
        {
            var reasons = OutputReasons(second, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {step} ran again after an unrelated edit: {reason}"));
        }
        Assert.Equal(2, second.Sources.Count);
    }

    [Fact]
    public void EditingOneDescriptionRegeneratesOnlyThatModel()
    {
        var compilation = GeneratorHarness.NewCompilation("App", "namespace App { public class Program { } }");
        var driver = GeneratorHarness.NewDriver([Digits, Tagger], out var texts);
        var first = GeneratorHarness.Continue(driver, compilation);
        var oldText = texts.Single(text => text.Path == Tagger.Path);
        var newText = new InMemoryAdditionalText(Tagger.Path, Tagger.Text.Replace("1000", "2000"));

        var second = GeneratorHarness.Continue(first.Driver.ReplaceAdditionalText(oldText, newText), compilation);

        var classReasons = OutputReasons(second, TrackingNames.ModelClasses);
        Assert.Equal([IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Modified], classReasons);
        Assert.Contains("2000L", second.Source("Sample.Models.Tagger.g.cs"));
    }

    private static List<IncrementalStepRunReason> OutputReasons(GeneratorRun run, string step)
        => run.Result.TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs).Select(output => output.Reason).ToList()
            : throw new Xunit.Sdk.XunitException($"step {step} was not tracked; tracked: {string.Join(", ", run.Result.TrackedSteps.Keys)}");
}
