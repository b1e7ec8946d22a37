namespace ModelBuild.Generators.Tests.Infrastructure;

/// <summary>One model description as the ModelBuild targets pass it: the file, its text and its item metadata.</summary>
internal sealed record DescribedModel(string Path, string Text, string ClassName, string Namespace, string ResourceName, string SourcePath)
{
    /// <summary>A description with the default metadata the targets would give <paramref name="className"/>.</summary>
    public static DescribedModel Of(string className, string text, string @namespace = "Sample.Models")
        => new(
            $"/project/obj/modelbuild/{className}/{className}.modeldesc",
            text,
            className,
            @namespace,
            $"ModelBuild.{@namespace}.{className}.onnx",
            $"Models/{className}.onnx");

    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string>
    {
        ["build_metadata.AdditionalFiles.ModelBuildClassName"] = ClassName,
        ["build_metadata.AdditionalFiles.ModelBuildNamespace"] = Namespace,
        ["build_metadata.AdditionalFiles.ModelBuildResourceName"] = ResourceName,
        ["build_metadata.AdditionalFiles.ModelBuildSourcePath"] = SourcePath,
    };
}
