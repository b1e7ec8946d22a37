using Microsoft.CodeAnalysis;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Generators.Tests.Infrastructure;

namespace ModelBuild.Generators.Tests.Diagnostics;

/// <summary>MB3001, MB3003, MB3004 and the clash MB1006: what the generator reports, where it points, and that it then generates nothing wrong.</summary>
public sealed class GeneratorDiagnosticTests
{
    private static readonly string ValidText = DescriptionText.Of("none", 10, 10, "input|x|float|1", "output|y|float|1");

    [Fact]
    public void BadDescription()
    {
        var model = DescribedModel.Of("Broken", DescriptionText.Lines(
            "modelbuild-description|1", "recipe|none", "original-bytes|10", "stored-bytes|10", "input|x|float"));
        var run = GeneratorHarness.Run([model]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MB3001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(model.Path, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(4, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("line 5", diagnostic.GetMessage());
        Assert.Empty(run.Sources);
        Snapshot.Match(Describe(run), $"{nameof(GeneratorDiagnosticTests)}.{nameof(BadDescription)}", "txt");
    }

    [Theory]
    [InlineData("not a description\n", 0, "expected the header")]
    [InlineData("modelbuild-description\t2\n", 0, "format version '2'")]
    [InlineData("modelbuild-description\t1\nrecipe\tnone\noriginal-bytes\tmany\n", 2, "found 'many'")]
    [InlineData("modelbuild-description\t1\nrecipe\tnone\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tfloat\t1,,2\noutput\ty\tfloat\t1\n", 4, "empty dimension")]
    [InlineData("modelbuild-description\t1\nrecipe\tnone\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tfloat\t2x\noutput\ty\tfloat\t1\n", 4, "dimension '2x'")]
    [InlineData("modelbuild-description\t1\noriginal-bytes\t1\nstored-bytes\t1\noutput\ty\tfloat\t1\n", 4, "'recipe' record is missing")]
    [InlineData("modelbuild-description\t1\nrecipe\tnone\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tfloat\t1\n", 5, "no 'output' record")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8-full\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tuint8\t1\noutput\ty\tfloat\t1\nquantization\tinput\tx\t0.1\n", 6, "5 tab-separated fields")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8-full\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tuint8\t1\noutput\ty\tfloat\t1\nquantization\tweight\tx\t0.1\t0\n", 6, "found 'weight'")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8-full\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tuint8\t1\noutput\ty\tfloat\t1\nquantization\tinput\tx\t-0.1\t0\n", 6, "positive finite number")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8-full\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tuint8\t1\noutput\ty\tfloat\t1\nquantization\tinput\tx\t0.1\t256\n", 6, "from 0 to 255")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8-full\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tuint8\t1\noutput\ty\tfloat\t1\nquantization\tinput\tz\t0.1\t0\n", 6, "no 'input' record has that name")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8-full\noriginal-bytes\t1\nstored-bytes\t1\ninput\tx\tuint8\t1\noutput\ty\tfloat\t1\nquantization\toutput\ty\t0.1\t0\n", 6, "whose element type is 'float'")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8\noriginal-bytes\t1\nstored-bytes\t1\nint8-scheme\tu8\"s7\noutput\ty\tfloat\t1\n", 4, "int8 scheme name")]
    [InlineData("modelbuild-description\t1\nrecipe\tint8\noriginal-bytes\t1\nstored-bytes\t1\ntarget-cpu\n", 4, "2 tab-separated fields")]
    public void EachFormatProblemIsReportedAtItsLine(string text, int line, string expectedText)
    {
        var run = GeneratorHarness.Run([DescribedModel.Of("Broken", text)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MB3001", diagnostic.Id);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains(expectedText, diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void UnknownRecordKindsAreSkipped()
    {
        var text = ValidText + "future-record\twhatever\tmore\n";
        var run = GeneratorHarness.Run([DescribedModel.Of("Future", text)]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
    }

    [Theory]
    [InlineData("Not-AClass", "Sample", "ModelBuild.Sample.X.onnx", "ModelBuildClassName")]
    [InlineData("Fine", "Sample.1st", "ModelBuild.Sample.X.onnx", "ModelBuildNamespace")]
    [InlineData("Fine", "Sample", "", "ModelBuildResourceName")]
    [InlineData("class", "Sample", "ModelBuild.Sample.X.onnx", "ModelBuildClassName")]
    [InlineData("record", "Sample", "ModelBuild.Sample.X.onnx", "ModelBuildClassName")]
    [InlineData("Fine", "Sample.namespace", "ModelBuild.Sample.X.onnx", "ModelBuildNamespace")]
    public void BadMetadataIsReported(string className, string @namespace, string resourceName, string metadataName)
    {
        var model = DescribedModel.Of("Fine", ValidText) with { ClassName = className, Namespace = @namespace, ResourceName = resourceName };
        var run = GeneratorHarness.Run([model]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MB3001", diagnostic.Id);
        Assert.Contains(metadataName, diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    /// <summary>Issue 8: ClassName <c>Info</c> or <c>Run</c> used to give CS0542 inside the generated file.</summary>
    [Theory]
    [InlineData("Info")]
    [InlineData("Run")]
    public void ClassNamedLikeItsMember(string className)
    {
        var model = DescribedModel.Of(className, ValidText);
        var unaffected = DescribedModel.Of("Digits", ValidText);
        var run = GeneratorHarness.Run([model, unaffected]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MB3004", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(model.Path, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("Sample.Models.Digits.g.cs", Assert.Single(run.Sources).HintName);
        run.AssertCompilesCleanly();
        Snapshot.Match(Describe(run), $"{nameof(GeneratorDiagnosticTests)}.{nameof(ClassNamedLikeItsMember)}.{className}", "txt");
    }

    [Fact]
    public void Clash()
    {
        var first = DescribedModel.Of("Digits", ValidText);
        var second = first with { Path = "/project/obj/modelbuild/other/Digits.modeldesc", SourcePath = "Other/digits.onnx" };
        var run = GeneratorHarness.Run([first, second]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MB1006", diagnostic.Id);
        Assert.Equal(second.Path, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("Sample.Models.Digits.g.cs", Assert.Single(run.Sources).HintName);
        run.AssertCompilesCleanly();
        Snapshot.Match(Describe(run), $"{nameof(GeneratorDiagnosticTests)}.{nameof(Clash)}", "txt");
    }

    [Fact]
    public void ClassNamedLikeAnotherModelsOutputClassClashes()
    {
        var run = GeneratorHarness.Run([DescribedModel.Of("Digits", ValidText), DescribedModel.Of("DigitsOutput", ValidText)]);

        Assert.Equal("MB1006", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Single(run.Sources);
        run.AssertCompilesCleanly();
    }

    /// <summary>The task's rule: the output class clashes in whichever order the models come, and names the type that clashes.</summary>
    [Fact]
    public void ClassNamedLikeAnEarlierModelsOutputClassClashesInEitherOrder()
    {
        var run = GeneratorHarness.Run([DescribedModel.Of("DigitsOutput", ValidText), DescribedModel.Of("Digits", ValidText)]);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticCodes.ClassClash, diagnostic.Id);
        Assert.Contains("both generate class 'Sample.Models.DigitsOutput'", diagnostic.GetMessage());
        Assert.Equal("Sample.Models.DigitsOutput.g.cs", Assert.Single(run.Sources).HintName);
        run.AssertCompilesCleanly();
    }

    /// <summary>Hint names ignore case, so two classes that differ only in case used to make the generator fail as a whole.</summary>
    [Fact]
    public void ClassesThatDifferOnlyInCaseClash()
    {
        var run = GeneratorHarness.Run([DescribedModel.Of("Digits", ValidText), DescribedModel.Of("DIGITS", ValidText)]);

        Assert.Equal(DiagnosticCodes.ClassClash, Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Equal("Sample.Models.Digits.g.cs", Assert.Single(run.Sources).HintName);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void StringTensor()
    {
        var model = DescribedModel.Of("Tokenizer", DescriptionText.Of(
            "none", 10, 10, "input|text|string|1", "output|ids|int64|1,16", "output|scores|bfloat16|1"));
        var unaffected = DescribedModel.Of("Digits", ValidText);
        var run = GeneratorHarness.Run([model, unaffected]);

        Assert.Equal(["MB3003", "MB3003"], run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Equal([5, 7], run.GeneratorDiagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line));
        Assert.Equal("Sample.Models.Digits.g.cs", Assert.Single(run.Sources).HintName);
        Snapshot.Match(Describe(run), $"{nameof(GeneratorDiagnosticTests)}.{nameof(StringTensor)}", "txt");
    }

    [Fact]
    public void DescriptorsCarryAHelpLink()
    {
        var run = GeneratorHarness.Run([DescribedModel.Of("Broken", "garbage\n")]);

        Assert.Equal("README.md#diagnostic-codes", Assert.Single(run.GeneratorDiagnostics).Descriptor.HelpLinkUri);
    }

    private static string Describe(GeneratorRun run)
        => string.Concat(run.GeneratorDiagnostics.Select(d =>
            $"{d.Id} {d.Severity} {d.Location.GetLineSpan().Path}({d.Location.GetLineSpan().StartLinePosition.Line + 1}): {d.GetMessage()}\n"));
}
