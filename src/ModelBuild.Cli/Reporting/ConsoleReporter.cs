using ModelBuild.Contracts.Results;

namespace ModelBuild.Cli.Reporting;

/// <summary>
/// Writes problems to standard error in MSBuild's canonical form (<c>origin: error CODE: text</c>), so the task and
/// CI log parsers pick them up, and progress to standard output as <c>modelbuild: &lt;model file&gt;: &lt;step&gt;</c>.
/// </summary>
public sealed class ConsoleReporter(TextWriter output, TextWriter error)
{
    /// <summary>The origin of problems that concern no file, such as a wrong command line.</summary>
    public const string ToolOrigin = "modelbuild";

    public TextWriter Output { get; } = output;

    /// <summary>When set (<c>compress --result</c>), every warning and error is also recorded here.</summary>
    public CompressionResultFile? Result { get; set; }

    public void Error(string origin, string code, string message)
    {
        Result?.Errors.Add(new ResultProblem(code, OneLine(message), origin));
        Problem(origin, "error", code, message);
    }

    public void Warning(string origin, string code, string message)
    {
        Result?.Warnings.Add(new ResultProblem(code, OneLine(message), origin));
        Problem(origin, "warning", code, message);
    }

    public void Progress(string modelPath, string step) => Output.WriteLine($"{ToolOrigin}: {Path.GetFileName(modelPath)}: {step}");

    /// <summary>Extra lines, such as a stack trace under <c>--verbose</c>, after the error they belong to.</summary>
    public void Detail(string text) => error.WriteLine(text);

    private void Problem(string origin, string severity, string code, string message) =>
        error.WriteLine($"{origin}: {severity} {code}: {OneLine(message)}");

    // A canonical line must stay one line, or log parsers lose the rest of the message; it ends as a sentence.
    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
