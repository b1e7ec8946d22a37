using ModelBuild.Contracts.Naming;

namespace ModelBuild.Generators.Model;

/// <summary>Everything the emitter needs for one generated class, as plain equatable values.</summary>
internal sealed record ModelClassModel(
    string DescriptionPath,
    string Namespace,
    string ClassName,
    string OutputClassName,
    string ResourceName,
    string SourcePath,
    string Recipe,
    long OriginalBytes,
    long StoredBytes,
    EquatableArray<TensorModel> Inputs,
    EquatableArray<TensorModel> Outputs,
    EquatableArray<DimensionParameterModel> DimensionParameters,
    long? DecodedBytes = null,
    string? TargetCpu = null,
    string? Int8Scheme = null,
    string? QuantizationAwareTraining = null)
{
    public string FullClassName => GeneratedClassNames.FullName(Namespace, ClassName);

    public string HintName => FullClassName + ".g.cs";
}
