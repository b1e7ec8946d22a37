using ModelBuild.Compression.Reporting;

namespace ModelBuild.Cli.Commands;

/// <summary>
/// The model and the files <c>compress</c> writes (full paths, except the model as the user gave it). Decoded: where
/// the ONNX model a container decodes to goes too (for Netron and other tools), or null.
/// </summary>
public sealed record CompressPaths(string Model, string Output, string Description, string? Report, string? Decoded = null)
{
    /// <summary>The model files written: the output, then the decoded ONNX when asked for.</summary>
    public IEnumerable<string> Models => Decoded is null ? [Output] : [Output, Decoded];

    private IEnumerable<string> Outputs => Report is null ? [.. Models, Description] : [.. Models, Description, Report, ReportFiles.HtmlPathFor(Report)];

    /// <summary>Why the paths cannot be used (two outputs on one file, or an output over the model), or null.</summary>
    public string? Overlap()
    {
        var modelFullPath = Path.GetFullPath(Model);
        var outputs = Outputs.ToList();
        if (outputs.Contains(modelFullPath) || outputs.Distinct().Count() != outputs.Count)
            return $"--output ({Output}), {(Decoded is null ? "" : $"--decoded-output ({Decoded}), ")}--description ({Description}){(Report is null ? "" : $", --report ({Report}) and its .html")} must be different files, none of them the model. Choose other paths";
        return null;
    }

    public void DeleteOutputs() => OutputFiles.Delete(Outputs.ToArray());
}
