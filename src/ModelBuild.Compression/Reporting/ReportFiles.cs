using System.Text;
using ModelBuild.Compression.Selection;
using ModelBuild.Onnx;

namespace ModelBuild.Compression.Reporting;

/// <summary>Writes <c>&lt;name&gt;.report.md</c> and the <c>.html</c> beside it, each through a temp file moved into place.</summary>
public static class ReportFiles
{
    /// <returns>The path of the HTML report written beside <paramref name="markdownPath"/>.</returns>
    public static string Write(SelectionResult result, string markdownPath)
    {
        var htmlPath = HtmlPathFor(markdownPath);
        OnnxModelFile.WriteAllBytesAtomic(markdownPath, Encoding.UTF8.GetBytes(MarkdownReport.Write(result)));
        OnnxModelFile.WriteAllBytesAtomic(htmlPath, Encoding.UTF8.GetBytes(HtmlReport.Write(result)));
        return htmlPath;
    }

    /// <summary><c>x.report.md</c> becomes <c>x.report.html</c>; any other name gets <c>.html</c> in place of its extension.</summary>
    public static string HtmlPathFor(string markdownPath) => Path.ChangeExtension(markdownPath, ".html");
}
