using ModelBuild.Contracts.Results;

namespace ModelBuild.Tasks.Tests.Results;

/// <summary>The result file's own JSON writer and reader (Contracts/Results), which the CLI and the task share.</summary>
public sealed class CompressionResultFileTests
{
    [Fact]
    public void Every_field_survives_a_write_and_a_read_whatever_characters_it_holds()
    {
        var written = new CompressionResultFile { Succeeded = true, Summary = "Chose \"int8\" — 4.0x smaller;\ttab\\ and\nnew line \u0001" };
        written.Outputs.AddRange([@"C:\obj\Digits.onnx", "/obj/Digits.modeldesc"]);
        written.Warnings.Add(new ResultProblem("MB2002", "no weights: 'x'.", "/models/d igits.onnx"));
        written.Errors.Add(new ResultProblem("MB1016", "missed {MaxSize}.", "/models/digits.onnx"));
        written.DataFiles.AddRange(["/data/ü/a.png", "/data/b;c.png"]);
        written.Budgets.Add(new ResultBudget("MaxSize", "1,024 bytes", "2,048 bytes", false, "1,024 bytes over"));
        written.Reports.Add("/obj/Digits.report.md");

        var read = CompressionResultFile.Parse(written.ToJson());

        Assert.Equal(written.ToJson(), read.ToJson());
        Assert.True(read.Succeeded);
        Assert.Equal(written.Summary, read.Summary);
        Assert.Equal(written.DataFiles, read.DataFiles);
        Assert.Equal(("MB1016", "missed {MaxSize}.", "/models/digits.onnx"), (read.Errors[0].Code, read.Errors[0].Message, read.Errors[0].Origin));
        Assert.Equal(("MaxSize", false, "1,024 bytes over"), (read.Budgets[0].Budget, read.Budgets[0].Met, read.Budgets[0].Miss));
    }

    [Fact]
    public void Json_from_another_writer_is_read_too()
    {
        var read = CompressionResultFile.Parse("""{"reports":[],"format":1.0,"succeeded":false,"extra":{"a":[1,-2.5e3,null,true]},"warnings":[{"code":"MB2005","message":"slow \u00e9","origin":"m.onnx"}]}""");

        Assert.False(read.Succeeded);
        Assert.Equal("slow é", Assert.Single(read.Warnings).Message);
        Assert.Empty(read.DataFiles);
    }

    [Theory]
    [InlineData("""{"format": 2}""", "expected result format 1, found 2")]
    [InlineData("""{"succeeded": true}""", "expected result format 1, found none")]
    [InlineData("""{"format": 1, "outputs": ["a" """, "not valid JSON at offset")]
    [InlineData("""[1]""", "a result file is a JSON object")]
    [InlineData("""{"format": 1} x""", "expected the end of the text")]
    public void Text_that_is_not_a_result_file_is_a_format_exception_that_says_what_was_expected(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => CompressionResultFile.Parse(json));

        Assert.Contains(message, error.Message);
    }
}
