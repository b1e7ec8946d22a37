using ModelBuild.Onnx;
using ModelBuild.Onnx.Protobuf;

namespace ModelBuild.Compression.Tests.Support;

/// <summary>Facts about a model computed straight from the protobuf, independently of the code under test.</summary>
public static class ModelFacts
{
    /// <summary>Initializers and the tensors of top-level Constant nodes ("value" attribute).</summary>
    public static IEnumerable<TensorProto> Weights(ModelProto model) =>
        model.Graph.Initializer.Concat(ConstantAttributes(model).Where(a => a.Name == "value").Select(a => a.T));

    public static long Elements(TensorProto tensor) => tensor.Dims.Aggregate(1L, (a, b) => a * b);

    /// <summary>Values in initializers and in numeric Constant nodes of every form (value, value_ints, value_float...).</summary>
    public static long WeightElements(ModelProto model) =>
        Weights(model).Sum(Elements) + ConstantAttributes(model).Sum(a => a.Name switch
        {
            "value_floats" => a.Floats.Count,
            "value_ints" => a.Ints.Count,
            "value_float" or "value_int" => 1L,
            _ => 0L,
        });

    private static IEnumerable<AttributeProto> ConstantAttributes(ModelProto model) =>
        model.Graph.Node.Where(n => n.OpType == "Constant").SelectMany(n => n.Attribute);

    /// <summary>
    /// Bytes of the payload as raw_data would hold it: raw_data's length, or the typed field's entry count times the
    /// element type's size (int32_data carries 8- and 16-bit types one per entry).
    /// </summary>
    public static long PayloadBytes(TensorProto tensor) =>
        tensor.RawData.Length
        + 4L * tensor.FloatData.Count
        + 8L * (tensor.Int64Data.Count + tensor.DoubleData.Count + tensor.Uint64Data.Count)
        + Int32DataEntrySize((TensorProto.Types.DataType)tensor.DataType) * tensor.Int32Data.Count;

    private static long Int32DataEntrySize(TensorProto.Types.DataType type) => type switch
    {
        TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool => 1,
        TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 or TensorProto.Types.DataType.Float16 => 2,
        _ => 4,
    };

    /// <summary>Bytes of all weight payloads, whatever their element type, Constant nodes of every form included.</summary>
    public static long WeightBytes(ModelProto model) =>
        Weights(model).Sum(PayloadBytes) + ConstantAttributes(model).Sum(a => a.Name switch
        {
            "value_floats" => 4L * a.Floats.Count,
            "value_ints" => 8L * a.Ints.Count,
            "value_float" => 4L,
            "value_int" => 8L,
            _ => 0L,
        });

    public static IReadOnlyList<string> OperatorTypes(ModelProto model) => model.Graph.Node.Select(n => n.OpType).Distinct().ToList();

    public static byte[] Bytes(ModelProto model) => OnnxModelFile.ToBytes(model);
}
