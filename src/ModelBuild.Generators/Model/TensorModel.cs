namespace ModelBuild.Generators.Model;

/// <summary>An input or output of the generated class.</summary>
/// <param name="OnnxName">The tensor's name in the graph.</param>
/// <param name="Identifier">The C# name: a <c>Run</c> parameter for inputs, a property for outputs.</param>
/// <param name="OnnxElementType">ONNX's element type name, e.g. <c>uint8</c>.</param>
/// <param name="ElementType">The C# element type, e.g. <c>byte</c>.</param>
/// <param name="Dimensions">The declared dimensions.</param>
/// <param name="RankKnown">False when the model declares no shape for the tensor.</param>
/// <param name="ShapeParameterName">For an input without a declared shape: the <c>long[]</c> parameter that supplies it.</param>
/// <param name="Quantization">For a uint8 tensor with a <c>quantization</c> record: the property exposing its grid.</param>
internal sealed record TensorModel(
    string OnnxName,
    string Identifier,
    string OnnxElementType,
    string ElementType,
    EquatableArray<DimensionModel> Dimensions,
    bool RankKnown,
    string? ShapeParameterName,
    QuantizationModel? Quantization = null);
