using ModelBuild.Compression.Reporting;

namespace ModelBuild.Cli.Commands;

/// <summary>
/// The model and the files <c>compress</c> writes (full paths, except the model as the user gave it). Decoded: where
/// the ONNX model a container decodes to goes too (for Netron and other tools), or null. Container: where a result
/// that is a ModelBuild container goes instead of <see cref="Output"/>, which then gets the ONNX it decodes to (for
/// <c>auto</c>, whose result may or may not be packed, so each file is named for what it is), or null.
/// </summary>
public sealed record CompressPaths(string Model, string Output, string Description, string? Report, string? Decoded = null, string? Container = null)
{
    /// <summary>The model files that may be written: the output, the decoded ONNX and the container when asked for.</summary>
    public IEnumerable<string> Models => new[] { Output, Decoded, Container }.OfType<string>();

    private IEnumerable<string> Outputs => Report is null ? [.. Models, Description] : [.. Models, Description, Report, ReportFiles.HtmlPathFor(Report)];

    /// <summary>Why the paths cannot be used (two outputs on one file, or an output over the model), or null.</summary>
    public string? Overlap()
    {
        var modelFullPath = Path.GetFullPath(Model);
        var outputs = Outputs.ToList();
        if (outputs.Contains(modelFullPath) || outputs.Distinct().Count() != outputs.Count)
            return $"--output ({Output}), {(Decoded is null ? "" : $"--decoded-output ({Decoded}), ")}{(Container is null ? "" : $"--container-output ({Container}), ")}--description ({Description}){(Report is null ? "" : $", --report ({Report}) and its .html")} must be different files, none of them the model. Choose other paths";
        return null;
    }

    public void DeleteOutputs() => OutputFiles.Delete(Outputs.ToArray());
}
