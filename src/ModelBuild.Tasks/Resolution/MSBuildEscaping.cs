using System.Text;

namespace ModelBuild.Tasks.Resolution;

/// <summary>
/// MSBuild's %XX escaping. Metadata set from a task is read as escaped text: without this a ';' in a setting would
/// split it into items and a '%' or '$' in a path would be expanded.
/// </summary>
internal static class MSBuildEscaping
{
    private const string Special = "%*?@$();'";

    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var character in value)
        {
            if (Special.IndexOf(character) >= 0)
                escaped.Append('%').Append(((int)character).ToString("X2"));
            else
                escaped.Append(character);
        }
        return escaped.ToString();
    }
}
