using ModelBuild.Onnx;

namespace ModelBuild.Compression.Tests.Support;

/// <summary>Compares signatures by value: the record's Dims list compares by reference.</summary>
public sealed class TensorSignatureComparer : IEqualityComparer<TensorSignature>
{
    public static readonly TensorSignatureComparer Instance = new();

    public bool Equals(TensorSignature? x, TensorSignature? y) =>
        x is not null && y is not null && x.Name == y.Name && x.ElementType == y.ElementType
        && (x.Dims is null ? y.Dims is null : y.Dims is not null && x.Dims.SequenceEqual(y.Dims));

    public int GetHashCode(TensorSignature obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
}
