using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Description;

/// <summary>The content of a model description file (format in docs/internals.md).</summary>
internal sealed record ModelDescription(
    string Recipe,
    long OriginalBytes,
    long StoredBytes,
    EquatableArray<DescribedTensor> Inputs,
    EquatableArray<DescribedTensor> Outputs,
    EquatableArray<DescribedQuantization> Quantizations,
    long? DecodedBytes = null,
    string? TargetCpu = null,
    string? Int8Scheme = null,
    string? QuantizationAwareTraining = null);
