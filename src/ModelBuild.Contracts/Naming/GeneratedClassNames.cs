using System;
using System.Collections.Generic;

namespace ModelBuild.Contracts.Naming;

/// <summary>
/// The names a model's generated code takes, and when two models clash (MB1006, <see cref="Diagnostics.DiagnosticCodes.ClassClash"/>).
/// The MSBuild task checks the items with this rule and the generator checks the descriptions with it again.
/// </summary>
public static class GeneratedClassNames
{
    /// <summary>The generated class's outputs are a second class of the class's name and this suffix, in its namespace.</summary>
    public const string OutputClassSuffix = "Output";

    /// <summary>
    /// Members the generated class declares whatever the model: a class of one of these names does not compile
    /// (CS0542), so the task refuses them (MB1007) and the generator too (MB3004).
    /// </summary>
    public static IReadOnlyList<string> GeneratedMemberNames => MemberNames;

    private static readonly string[] MemberNames = { "Info", "Run" };

    /// <summary>
    /// Compares the full names of generated types. Ignoring case, because output folders and the generator's hint
    /// names (<c>Namespace.Class.g.cs</c>) are named after the class, and some file systems (and Roslyn's hint
    /// names) ignore case.
    /// </summary>
    public static StringComparer Comparer { get; } = StringComparer.OrdinalIgnoreCase;

    public static bool IsGeneratedMemberName(string className) => Array.IndexOf(MemberNames, className) >= 0;

    public static string OutputClassName(string className) => className + OutputClassSuffix;

    /// <summary><c>Namespace.Class</c>, or the class alone in the global namespace.</summary>
    public static string FullName(string @namespace, string className) =>
        @namespace.Length == 0 ? className : @namespace + "." + className;

    /// <summary>The full names of the types a model's class declares: the class and its output class.</summary>
    public static IReadOnlyList<string> TypesOf(string @namespace, string className) =>
        new[] { FullName(@namespace, className), FullName(@namespace, OutputClassName(className)) };
}
