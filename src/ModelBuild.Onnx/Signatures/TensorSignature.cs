namespace ModelBuild.Onnx;

/// <summary>
/// A graph input or output as the model description writes it. <see cref="ElementType"/> uses the lower-case
/// ONNX names (<c>float</c>, <c>int64</c>, ...). <see cref="Dims"/> is null when the rank is unknown; each entry is
/// a number, the model's dim_param name, or <c>?</c> for an unnamed unknown dimension.
/// </summary>
public sealed record TensorSignature(string Name, string ElementType, IReadOnlyList<string>? Dims);
