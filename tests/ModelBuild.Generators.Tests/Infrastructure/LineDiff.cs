using System.Text;

namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>A short unified-style diff: the lines between the common head and the common tail, with context.</summary>
internal static class LineDiff
{
    private const int Context = 3;

    public static string Describe(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var head = 0;
        while (head < want.Length && head < got.Length && want[head] == got[head]) head++;
        var tail = 0;
        while (tail < want.Length - head && tail < got.Length - head && want[^(tail + 1)] == got[^(tail + 1)]) tail++;

        var text = new StringBuilder();
        text.AppendLine($"@@ line {head + 1}: -{want.Length - head - tail} +{got.Length - head - tail} @@");
        for (var i = Math.Max(0, head - Context); i < head; i++) text.AppendLine("  " + want[i]);
        for (var i = head; i < want.Length - tail; i++) text.AppendLine("- " + want[i]);
        for (var i = head; i < got.Length - tail; i++) text.AppendLine("+ " + got[i]);
        for (var i = got.Length - tail; i < Math.Min(got.Length, got.Length - tail + Context); i++) text.AppendLine("  " + got[i]);
        return text.ToString();
    }
}
