using ModelBuild.Compression.Reporting;

namespace ModelBuild.Cli.Commands;

/// <summary>The model and the files <c>compress</c> writes (full paths, except the model as the user gave it).</summary>
public sealed record CompressPaths(string Model, string Output, string Description, string? Report)
{
    private IEnumerable<string> Outputs => Report is null ? [Output, Description] : [Output, Description, Report, ReportFiles.HtmlPathFor(Report)];

    /// <summary>Why the paths cannot be used (two outputs on one file, or an output over the model), or null.</summary>
    public string? Overlap()
    {
        var modelFullPath = Path.GetFullPath(Model);
        var outputs = Outputs.ToList();
        if (outputs.Contains(modelFullPath) || outputs.Distinct().Count() != outputs.Count)
            return $"--output ({Output}), --description ({Description}){(Report is null ? "" : $", --report ({Report}) and its .html")} must be different files, none of them the model. Choose other paths";
        return null;
    }

    public void DeleteOutputs() => OutputFiles.Delete(Outputs.ToArray());
}
