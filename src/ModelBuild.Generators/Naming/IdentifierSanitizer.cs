using System.Text;
using ModelBuild.Contracts.Naming;

namespace ModelBuild.Generators.Naming;

/// <summary>Turns tensor and dimension names (which may hold dots, slashes, colons, leading digits) into C# identifiers.</summary>
internal static class IdentifierSanitizer
{
    /// <summary>A property-style name: first letter upper case.</summary>
    public static string ToPascalCase(string name) => Sanitize(name, upperFirst: true);

    /// <summary>A parameter-style name: first letter lower case; a keyword gets an <c>@</c>.</summary>
    public static string ToCamelCase(string name) => Sanitize(name, upperFirst: false);

    private static string Sanitize(string name, bool upperFirst)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var character in name)
            builder.Append(CSharpIdentifier.IsPartCharacter(character) ? character : '_');
        if (builder.Length == 0 || !CSharpIdentifier.IsStartCharacter(builder[0]))
            builder.Insert(0, '_');
        builder[0] = upperFirst ? char.ToUpperInvariant(builder[0]) : char.ToLowerInvariant(builder[0]);
        var identifier = builder.ToString();
        return CSharpIdentifier.IsReservedKeyword(identifier) ? "@" + identifier : identifier;
    }
}
