using ModelBuild.Generators.Model;

namespace ModelBuild.Generators.Description;

/// <summary>An <c>input</c> or <c>output</c> record of a model description.</summary>
/// <param name="Name">The tensor's name in the graph.</param>
/// <param name="ElementType">ONNX's element type name in lower case, e.g. <c>float</c>.</param>
/// <param name="Dimensions">Each dimension as written: a number, a symbolic name or <c>?</c>.</param>
/// <param name="RankKnown">False when the description says <c>*</c>: the model does not declare a shape.</param>
/// <param name="Line">Zero-based line of the record.</param>
internal sealed record DescribedTensor(
    string Name,
    string ElementType,
    EquatableArray<string> Dimensions,
    bool RankKnown,
    int Line);
