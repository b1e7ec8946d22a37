namespace ModelBuild.Benchmarks;

/// <summary>The machine's load average, so a reader of RESULTS.md can tell a quiet run from a busy one.</summary>
public static class LoadAverage
{
    private const string LinuxLoadFile = "/proc/loadavg";

    public static string Read() => File.Exists(LinuxLoadFile)
        ? string.Join(", ", File.ReadAllText(LinuxLoadFile).Split(' ').Take(3))
        : "not available on this system";
}
