using System.Linq;
using Microsoft.CodeAnalysis;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. The codes are <see cref="DiagnosticCodes"/>'; a class clash is MB1006, as in the
/// MSBuild task, because both apply the one rule of <c>GeneratedClassNames</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "ModelBuild";
    // The project has no public address yet, so the link names the README section that lists every code.
    private const string HelpLinkBase = "README.md#diagnostic-codes";

    public static readonly DiagnosticDescriptor BadDescription = new(
        id: DiagnosticCodes.BadDescription,
        title: "The model description cannot be read",
        messageFormat: "Model description '{0}' line {1}: {2} (model '{3}'). Rebuild so ModelBuild writes the description again.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase);

    public static readonly DiagnosticDescriptor ClassClash = new(
        id: DiagnosticCodes.ClassClash,
        title: "Two models would generate the same class",
        messageFormat: "Models '{0}' and '{1}' both generate class '{2}'; only the first gets it. Set a different ClassName or Namespace on one of the OnnxModel items.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase);

    public static readonly DiagnosticDescriptor UnsupportedElementType = new(
        id: DiagnosticCodes.UnsupportedElementType,
        title: "A tensor has an element type the generated class cannot expose",
        messageFormat: "Model '{0}': {1} '{2}' has element type '{3}'; the generated class supports {4}. No class is generated for this model.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase);

    public static readonly DiagnosticDescriptor ClassNamedLikeItsMember = new(
        id: DiagnosticCodes.ClassNamedLikeItsMember,
        title: "The class name is the name of one of the generated class's members",
        messageFormat: "Model '{0}': class name '{1}' is the name of a member of the generated class ({2}), and a C# class cannot have a member named like itself. No class is generated for this model. Set ClassName on the OnnxModel item to another name, such as '{1}Model'.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase);

    /// <summary>The descriptor with <paramref name="id"/>; pipeline models carry only the id, to stay equatable.</summary>
    public static DiagnosticDescriptor ById(string id)
        => new[] { BadDescription, ClassClash, UnsupportedElementType, ClassNamedLikeItsMember }.Single(descriptor => descriptor.Id == id);
}
