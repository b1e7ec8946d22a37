namespace SampleApp.Reporting;

/// <summary>A ModelBuild report embedded in this assembly (see EmbedBuildReports in SampleApp.csproj).</summary>
public static class BuildReport
{
    private const string Title = "# ModelBuild report: ";

    /// <summary>
    /// The report's summary: the first paragraph after its title, the same line the build logged as
    /// <c>&lt;model&gt;: report &lt;path&gt;: &lt;summary&gt;</c>.
    /// </summary>
    public static string Summary(string resourceName)
    {
        var lines = Resources.ReadAllText(resourceName).Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        if (lines.Length == 0 || !lines[0].StartsWith(Title, StringComparison.Ordinal))
            throw new InvalidDataException($"{resourceName}: expected a first line starting with '{Title}', found '{lines.FirstOrDefault()}'.");
        return lines.Skip(1).FirstOrDefault(line => line.Length > 0)
            ?? throw new InvalidDataException($"{resourceName}: expected a summary paragraph after the title, found none.");
    }
}
