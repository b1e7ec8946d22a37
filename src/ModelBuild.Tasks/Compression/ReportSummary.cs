using System.IO;
using System.Linq;

namespace ModelBuild.Tasks.Compression;

/// <summary>The one-line summary of a ModelBuild report: the paragraph after its title explains the choice.</summary>
internal static class ReportSummary
{
    public static string Read(string reportPath) =>
        File.ReadLines(reportPath).Skip(1).FirstOrDefault(line => line.Trim().Length > 0)?.Trim() ?? "";
}
