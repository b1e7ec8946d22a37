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

    /// <summary>The build's error lines ("file: error CODE: text [project]") with the given code.</summary>
    public static string[] Errors(ProcessResult build, string code) =>
        build.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Contains($": error {code}:", StringComparison.Ordinal))
            .Distinct()
            .ToArray();
}
