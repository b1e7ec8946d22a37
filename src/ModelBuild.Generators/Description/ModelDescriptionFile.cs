using ModelBuild.Contracts.Naming;

namespace ModelBuild.Generators.Description;

/// <summary>One AdditionalFile that describes a model, with the item metadata the ModelBuild targets attached.</summary>
/// <param name="Path">The description file.</param>
/// <param name="ClassName">Metadata <c>ModelBuildClassName</c>.</param>
/// <param name="Namespace">Metadata <c>ModelBuildNamespace</c>; empty means the global namespace.</param>
/// <param name="ResourceName">Metadata <c>ModelBuildResourceName</c>.</param>
/// <param name="SourcePath">Metadata <c>ModelBuildSourcePath</c>: the original model, for messages.</param>
/// <param name="Text">The file's content.</param>
internal sealed record ModelDescriptionFile(
    string Path,
    string ClassName,
    string Namespace,
    string ResourceName,
    string SourcePath,
    string Text)
{
    public string FullClassName => GeneratedClassNames.FullName(Namespace, ClassName);

    /// <summary>The model named in messages: the original model when known, else the description.</summary>
    public string ModelForMessages => SourcePath.Length == 0 ? Path : SourcePath;
}
