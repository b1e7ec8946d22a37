using System.Text.RegularExpressions;

namespace ModelBuild.EndToEnd.Tests;

/// <summary>Reads what a build printed.</summary>
public static class BuildOutput
{
    /// <summary>The CLI's progress lines ("modelbuild: model.onnx: step") that reached the build log.</summary>
    public static string[] CompressorLines(ProcessResult build, string modelFileName) =>
        build.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith($"modelbuild: {modelFileName}:", StringComparison.Ordinal))
            .ToArray();

    // MSBuild writes "file : error" when there is no line number, "file(1,2): error" when there is.
    private static readonly Regex ErrorLine = new(@"^(?<file>.+?)(\(\d+(,\d+)?\))? ?: error (?<code>MB\d{4}): (?<message>.*?)( \[[^\]]+\])?$");

    /// <summary>The build's distinct error lines with the given code (the summary repeats each once).</summary>
    public static BuildError[] Errors(ProcessResult build, string code) =>
        build.Output.Split('\n')
            .Select(line => ErrorLine.Match(line.Trim()))
            .Where(match => match.Success && match.Groups["code"].Value == code)
            .Select(match => new BuildError(match.Groups["file"].Value, code, match.Groups["message"].Value))
            .Distinct()
            .ToArray();
}
