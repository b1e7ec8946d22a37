using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Text;

namespace ModelBuild.Tasks.Naming;

/// <summary>Checks and builds C# identifiers for the generated class and namespace names.</summary>
internal static class CSharpIdentifier
{
    // Reserved keywords only: contextual keywords (var, record, ...) are legal type and namespace names.
    private static readonly HashSet<string> Keywords = new()
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// Members the generated class declares whatever the model: a class of one of these names does not compile
    /// (CS0542). The generator holds the same list (ModelClassPlanner.GeneratedMemberNames, MB3004).
    /// </summary>
    public static readonly IReadOnlyList<string> GeneratedMemberNames = new[] { "Info", "Run" };

    public static bool IsGeneratedMemberName(string name) => GeneratedMemberNames.Contains(name);

    public static bool IsValid(string name)
    {
        if (name.Length == 0 || Keywords.Contains(name) || !IsStartCharacter(name[0]))
            return false;
        foreach (var c in name)
        {
            if (!IsPartCharacter(c))
                return false;
        }
        return true;
    }

    /// <summary>A dotted name (<c>A.B.C</c>) whose every part is a valid identifier.</summary>
    public static bool IsValidDottedName(string name)
    {
        foreach (var part in name.Split('.'))
        {
            if (!IsValid(part))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Pascal-cases a file name: characters that cannot be in an identifier (and underscores) separate words,
    /// each word starts upper case (<c>mnist-8</c> becomes <c>Mnist8</c>). Empty when nothing usable is left.
    /// </summary>
    public static string FromFileName(string fileName)
    {
        var builder = new StringBuilder(fileName.Length);
        var startOfWord = true;
        foreach (var c in fileName)
        {
            if (c == '_' || !IsPartCharacter(c))
            {
                startOfWord = true;
                continue;
            }
            builder.Append(startOfWord ? char.ToUpperInvariant(c) : c);
            startOfWord = false;
        }
        return StartWithLetterOrUnderscore(builder.ToString());
    }

    /// <summary>
    /// Turns a folder path or root namespace into a dotted name, as the SDK does for manifest resource names:
    /// each invalid character becomes <c>_</c>, a part starting with a digit gets a leading <c>_</c>.
    /// </summary>
    public static string ToDottedName(string path)
    {
        var parts = new List<string>();
        foreach (var rawPart in path.Split('.', '/', '\\'))
        {
            if (rawPart.Length == 0)
                continue;
            var builder = new StringBuilder(rawPart.Length);
            foreach (var c in rawPart)
                builder.Append(IsPartCharacter(c) ? c : '_');
            var part = StartWithLetterOrUnderscore(builder.ToString());
            parts.Add(Keywords.Contains(part) ? "_" + part : part);
        }
        return string.Join(".", parts);
    }

    private static string StartWithLetterOrUnderscore(string name) =>
        name.Length > 0 && !IsStartCharacter(name[0]) ? "_" + name : name;

    private static bool IsStartCharacter(char c) => c == '_' || char.IsLetter(c);

    private static bool IsPartCharacter(char c)
    {
        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.Format:
                return true;
            default:
                return false;
        }
    }
}
