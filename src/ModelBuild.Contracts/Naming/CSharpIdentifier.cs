using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelBuild.Contracts.Naming;

/// <summary>
/// Checks and builds the C# names of generated classes, namespaces and members: the MSBuild task (MB1007) and the
/// generator (MB3001, and its member names) use this one rule. A keyword list rather than Roslyn's SyntaxFacts,
/// because the task cannot load Roslyn; CSharpIdentifierTests prove the lists and character classes agree with it.
/// </summary>
public static class CSharpIdentifier
{
    // Roslyn's reserved keywords (SyntaxFacts.GetReservedKeywordKinds): never an identifier without '@'.
    private static readonly HashSet<string> ReservedKeywords = new()
    {
        "__arglist", "__makeref", "__reftype", "__refvalue",
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    // Contextual keywords the compiler refuses as a type's name (CS9056, CS9029, CS9062 errors; CS8860 for record,
    // a warning that fails builds with warnings as errors). Other contextual keywords (var, async, ...) are legal
    // type names, and every contextual keyword is a legal namespace part.
    private static readonly HashSet<string> ContextualKeywordsRefusedAsTypeNames = new() { "file", "record", "required", "scoped" };

    /// <summary>The reserved keywords, for tests that compare them with Roslyn's.</summary>
    public static IReadOnlyCollection<string> Reserved => ReservedKeywords;

    /// <summary>The contextual keywords no type may be named, for tests that compare them with what Roslyn refuses.</summary>
    public static IReadOnlyCollection<string> RefusedAsTypeNames => ContextualKeywordsRefusedAsTypeNames;

    public static bool IsReservedKeyword(string name) => ReservedKeywords.Contains(name);

    /// <summary>An identifier: a start character, then part characters, and not a reserved keyword.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || ReservedKeywords.Contains(name) || !IsStartCharacter(name[0]))
            return false;
        foreach (var c in name)
        {
            if (!IsPartCharacter(c))
                return false;
        }
        return true;
    }

    /// <summary>A name a generated class may take: a valid identifier the compiler accepts as a type name.</summary>
    public static bool IsValidTypeName(string name) => IsValid(name) && !ContextualKeywordsRefusedAsTypeNames.Contains(name);

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
        return StartWithStartCharacter(builder.ToString());
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
            var part = StartWithStartCharacter(builder.ToString());
            parts.Add(ReservedKeywords.Contains(part) ? "_" + part : part);
        }
        return string.Join(".", parts);
    }

    /// <summary>A letter (of any case, or a letter number such as Roman numerals) or <c>_</c>, as in Roslyn.</summary>
    public static bool IsStartCharacter(char c) => c == '_' || IsLetter(CharUnicodeInfo.GetUnicodeCategory(c));

    /// <summary>A character that may follow the first one in an identifier, as in Roslyn.</summary>
    public static bool IsPartCharacter(char c)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return IsLetter(category) || category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format;
    }

    private static bool IsLetter(UnicodeCategory category) =>
        category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;

    private static string StartWithStartCharacter(string name) =>
        name.Length > 0 && !IsStartCharacter(name[0]) ? "_" + name : name;
}
