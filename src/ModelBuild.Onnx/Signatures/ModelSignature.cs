using System.Globalization;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Onnx;

/// <summary>The model's real inputs and its outputs, in graph order.</summary>
public static class ModelSignature
{
    public static IReadOnlyList<TensorSignature> Inputs(ModelProto model) =>
        OnnxGraph.RealInputs(model.Graph).Select(Describe).ToList();

    public static IReadOnlyList<TensorSignature> Outputs(ModelProto model) =>
        model.Graph.Output.Select(Describe).ToList();

    /// <summary>Non-tensor values (sequence, map, optional) are named by their kind, with an unknown rank.</summary>
    public static TensorSignature Describe(ValueInfoProto value)
    {
        var type = value.Type;
        if (type?.ValueCase != TypeProto.ValueOneofCase.TensorType)
            return new TensorSignature(value.Name, KindName(type), null);
        var tensor = type.TensorType;
        var dims = tensor.Shape?.Dim.Select(DimensionText).ToList();
        return new TensorSignature(value.Name, TensorData.ElementTypeName(tensor.ElemType), dims);
    }

    private static string DimensionText(TensorShapeProto.Types.Dimension dim) => dim.ValueCase switch
    {
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => dim.DimValue.ToString(CultureInfo.InvariantCulture),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when dim.DimParam.Length > 0 => dim.DimParam,
        _ => "?",
    };

    private static string KindName(TypeProto? type) => type?.ValueCase switch
    {
        TypeProto.ValueOneofCase.SequenceType => "sequence",
        TypeProto.ValueOneofCase.MapType => "map",
        TypeProto.ValueOneofCase.OptionalType => "optional",
        TypeProto.ValueOneofCase.SparseTensorType => "sparse_tensor",
        _ => "unknown",
    };
}
